import Foundation
import SkyCore

/// Produces the `Authorization` header for each request: a static token, a token file
/// re-read when it changes, or an exec credential plugin's token cached until it expires.
actor TokenSource {
    private let auth: KubeCredentials.Auth
    private var cached: (token: String, expires: Date?)?
    private var fileStamp: Date?

    init(_ auth: KubeCredentials.Auth) {
        self.auth = auth
    }

    func header() async throws -> String? {
        switch auth {
        case .none:
            return nil
        case .bearer(let token):
            return "Bearer \(token)"
        case .tokenFile(let path):
            let stamp =
                (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate])
                as? Date
            if let cached, stamp == fileStamp { return "Bearer \(cached.token)" }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeError.config("cannot read the token file \(path)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            cached = (token, nil)
            fileStamp = stamp
            return "Bearer \(token)"
        case .exec(let config):
            if let cached, cached.expires.map({ $0.timeIntervalSinceNow > 30 }) ?? true {
                return "Bearer \(cached.token)"
            }
            let credential = try await ExecCredentialPlugin(config: config).run()
            guard let token = credential.token else { return nil }
            cached = (token, credential.expiration)
            return "Bearer \(token)"
        }
    }

    /// Forgets a cached exec token (after a 401, the plugin is asked again).
    func invalidate() {
        if case .exec = auth { cached = nil }
    }
}

/// A client-go exec credential plugin (`users[].user.exec`): runs the command with
/// `KUBERNETES_EXEC_INFO` and reads an `ExecCredential` from its stdout.
package struct ExecCredentialPlugin: Sendable {
    package let config: KubeConfig.ExecConfig

    package struct Credential: Sendable {
        package var token: String?
        package var clientCertificatePEM: [UInt8]?
        package var clientKeyPEM: [UInt8]?
        package var expiration: Date?
    }

    struct Output: Decodable {
        var kind: String?
        var status: Status?
        struct Status: Decodable {
            var token: String?
            var clientCertificateData: String?
            var clientKeyData: String?
            var expirationTimestamp: String?
        }
    }

    package init(config: KubeConfig.ExecConfig) {
        self.config = config
    }

    package func run() async throws -> Credential {
        let apiVersion = config.apiVersion ?? "client.authentication.k8s.io/v1beta1"
        var environment = ProcessInfo.processInfo.environment
        for variable in config.env ?? [] { environment[variable.name] = variable.value }
        environment["KUBERNETES_EXEC_INFO"] =
            #"{"apiVersion":"\#(apiVersion)","kind":"ExecCredential","spec":{"interactive":false}}"#
        let (code, stdout, stderr) = try await Self.execute(
            config.command, arguments: config.args ?? [], environment: environment)
        guard code == 0 else {
            throw KubeError.credentialPlugin(
                command: config.command,
                detail: "exit code \(code): \(String(decoding: stderr.prefix(300), as: UTF8.self))")
        }
        guard let output = try? JSONDecoder().decode(Output.self, from: stdout),
            let status = output.status
        else {
            throw KubeError.credentialPlugin(
                command: config.command, detail: "its output is not an ExecCredential")
        }
        var credential = Credential()
        credential.token = status.token
        credential.clientCertificatePEM = status.clientCertificateData.map { Array($0.utf8) }
        credential.clientKeyPEM = status.clientKeyData.map { Array($0.utf8) }
        credential.expiration = status.expirationTimestamp.flatMap { KubeTime.parse($0) }
        if credential.token == nil, credential.clientCertificatePEM == nil {
            throw KubeError.credentialPlugin(
                command: config.command,
                detail: "it returned neither a token nor a client certificate")
        }
        return credential
    }

    /// How long a credential plugin may run.
    static let pluginTimeout: Duration = .seconds(60)

    /// Runs the plugin (`ChildProcess`: posix_spawn, reaped by a thread of its own, not
    /// Foundation's shared reaper, which a long-lived ssh child of the operator blocks). Its
    /// output is read on dispatch threads, never on the async pool; a plugin that hangs
    /// (waiting on a prompt, a dead network) is killed after `pluginTimeout`.
    static func execute(_ command: String, arguments: [String], environment: [String: String])
        async throws -> (Int32, Data, Data)
    {
        var out: [Int32] = [0, 0]
        var err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else {
            throw KubeError.credentialPlugin(
                command: command, detail: "pipe: \(String(cString: strerror(errno)))")
        }
        // Close-on-exec: no other child started meanwhile inherits them (dup2 clears it in ours).
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(
                [command] + arguments, environment: environment, stdout: .fd(out[1]),
                stderr: .fd(err[1]))
        } catch {
            for fd in out + err { close(fd) }
            throw KubeError.credentialPlugin(command: command, detail: "\(error)")
        }
        close(out[1])
        close(err[1])
        let killer = _Concurrency.Task {
            try await _Concurrency.Task.sleep(for: pluginTimeout)
            child.signalGroup(SIGTERM)
            try await _Concurrency.Task.sleep(for: .seconds(2))
            child.signalGroup(SIGKILL)
        }
        defer { killer.cancel() }
        async let stdout = readAll(out[0])
        async let stderr = readAll(err[0])
        let (outData, errData) = await (stdout, stderr)
        let code = await child.wait()
        return (code, outData, errData)
    }

    /// Reads `fd` to its end on a thread of its own (`BlockingThread`), then closes it.
    private static func readAll(_ fd: Int32) async -> Data {
        await withCheckedContinuation { continuation in
            BlockingThread.start("sky-token-read") {
                var data = Data()
                var buffer = [UInt8](repeating: 0, count: 16384)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if count < 0, errno == EINTR { continue }
                    if count <= 0 { break }
                    data.append(contentsOf: buffer[0..<count])
                }
                close(fd)
                continuation.resume(returning: data)
            }
        }
    }
}
