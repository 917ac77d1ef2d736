import Foundation
import SkyCore
import SkyRuntime
import Synchronization

/// Finds the local `skylet` executable the engine installs on nodes, and hashes it.
package enum SkyletBinary {
    /// `$SKY_SKYLET_BINARY`, else `skylet` next to the running executable (symlinks resolved).
    package static func locate(environment: [String: String]) -> String {
        if let path = environment["SKY_SKYLET_BINARY"], !path.isEmpty { return path }
        let argv0 = CommandLine.arguments.first ?? "sky"
        var exe = URL(fileURLWithPath: argv0).resolvingSymlinksInPath()
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(
            atPath: "/proc/self/exe")
        {
            exe = URL(fileURLWithPath: resolved)
        }
        return exe.deletingLastPathComponent().appendingPathComponent("skylet").path
    }

    private static let cache = Mutex<[String: (String, String)]>([:])

    /// sha256 of the file. Hashing the ~100 MB static binary costs about half a second, so the
    /// result is cached per path, size and modification time: in this process, and in a
    /// `<binary>.sha256` file beside the binary when that folder is writable (whoever can write
    /// there can replace the binary itself, so the cache adds no new trust).
    package static func sha256(_ path: String) async throws -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        let key = "\(size) \(modified)"
        if let hit = cache.withLock({ $0[path] }), hit.0 == key { return hit.1 }
        let sidecar = path + ".sha256"
        if let text = try? String(contentsOfFile: sidecar, encoding: .utf8) {
            let lines = text.split(separator: "\n").map(String.init)
            if lines.count == 2, lines[0] == key, lines[1].count == 64 {
                cache.withLock { $0[path] = (key, lines[1]) }
                return lines[1]
            }
        }
        let result = try await ProcessExecution.run(["sha256sum", path])
        guard result.exitCode == 0, let hash = result.stdout.split(separator: " ").first else {
            throw JobsError.installFailed(
                node: "local", detail: "sha256sum \(path): \(result.stderr)")
        }
        cache.withLock { $0[path] = (key, String(hash)) }
        try? (key + "\n" + hash).write(toFile: sidecar, atomically: true, encoding: .utf8)
        return String(hash)
    }
}

/// The status line a log stream ends with.
final class StatusBox: Sendable {
    private let stored = Mutex<JobStatus?>(nil)
    func set(_ status: JobStatus?) { stored.withLock { $0 = status } }
    var value: JobStatus? { stored.withLock { $0 } }

    /// Keeps the status when `line` is the stream's status line; false for any other line.
    func take(_ line: String) -> Bool {
        guard line.hasPrefix(SkyletWire.statusMarker) else { return false }
        set(JobStatus(rawValue: String(line.dropFirst(SkyletWire.statusMarker.count))))
        return true
    }
}
