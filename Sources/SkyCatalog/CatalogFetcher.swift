import Foundation
import SkyCore

/// Downloads one catalog file. `sky catalog update` uses `CurlFetcher`; the protocol lets a
/// caller plug in another transport.
package protocol CatalogFetcher: Sendable {
    /// Writes the body of `url` to `path` (created or truncated).
    func fetch(_ url: String, to path: String) async throws(CatalogFetchError)
}

/// Why a download failed; each description names the URL and what to do.
package enum CatalogFetchError: Error, CustomStringConvertible, Equatable {
    /// HTTP 404: the repository does not publish this file.
    case notFound(url: String)
    case http(url: String, status: Int)
    /// DNS, connection refused, TLS, ...: the network or the server is not reachable.
    case unreachable(url: String, reason: String)
    case timedOut(url: String, seconds: Int)
    case toolMissing(String)

    package var description: String {
        switch self {
        case .notFound(let url):
            "\(url) does not exist (HTTP 404)"
        case .http(let url, let status):
            "\(url) answered HTTP \(status)"
        case .unreachable(let url, let reason):
            "cannot reach \(url): \(reason)"
        case .timedOut(let url, let seconds):
            "no complete answer from \(url) within \(seconds) s"
        case .toolMissing(let why):
            why
        }
    }
}

/// Downloads with the `curl` program (argv array, no shell): short connect timeout, an overall
/// deadline and a stall detector, so a missing network fails in seconds rather than hanging.
package struct CurlFetcher: CatalogFetcher {
    package var connectTimeout: Int
    package var maxTime: Int
    package var environment: [String: String]

    package init(connectTimeout: Int = 5, maxTime: Int = 120, environment: [String: String]) {
        self.connectTimeout = connectTimeout
        self.maxTime = maxTime
        self.environment = environment
    }

    package func fetch(_ url: String, to path: String) async throws(CatalogFetchError) {
        guard let curl = Self.locate("curl", path: environment["PATH"]) else {
            throw .toolMissing(
                "curl is not installed (needed to download catalogs); install it, e.g. apt-get install curl"
            )
        }
        let arguments = [
            "-sS", "-L", "--proto", "=http,https,file", "--connect-timeout", String(connectTimeout),
            "--max-time", String(maxTime), "--speed-limit", "1024", "--speed-time", "20",
            "-o", path, "-w", "%{http_code}", "--", url,
        ]
        let result: (status: Int32, out: String, err: String)
        do {
            result = try await Self.run(curl, arguments)
        } catch {
            throw .toolMissing("cannot run \(curl): \(error)")
        }
        let code = Int(result.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        switch result.status {
        case 0:
            if code == 404 { throw .notFound(url: url) }
            // file:// answers 0; HTTP answers 2xx on success.
            guard code == 0 || (200..<300).contains(code) else {
                throw .http(url: url, status: code)
            }
        case 28:
            throw .timedOut(url: url, seconds: maxTime)
        case 37 where url.hasPrefix("file:"):
            throw .notFound(url: url)
        default:
            let reason = result.err.split(separator: "\n").last.map {
                $0.replacingOccurrences(of: "curl: ", with: "")
            }
            throw .unreachable(url: url, reason: reason ?? "curl exit \(result.status)")
        }
    }

    static func locate(_ tool: String, path: String?) -> String? {
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs a short-lived tool; its outputs are small (a status code, one error line), so
    /// they are read once it has exited.
    private static func run(_ executable: String, _ arguments: [String]) async throws -> (
        Int32, String, String
    ) {
        let out = Pipe()
        let err = Pipe()
        let child = try ChildProcess.spawn(
            [executable] + arguments, stdout: .fd(out.fileHandleForWriting.fileDescriptor),
            stderr: .fd(err.fileHandleForWriting.fileDescriptor))
        try? out.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        let code = await child.wait()
        let stdout = FDIO.readAll(out.fileHandleForReading.fileDescriptor)
        let stderr = FDIO.readAll(err.fileHandleForReading.fileDescriptor)
        return (
            code, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }
}
