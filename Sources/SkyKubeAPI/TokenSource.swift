import Foundation

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
            let stamp = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
            if let cached, stamp == fileStamp { return "Bearer \(cached.token)" }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeError.config("cannot read the token file \(path)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
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
        guard let output = try? JSONDecoder().decode(Output.self, from: stdout), let status = output.status else {
            throw KubeError.credentialPlugin(command: config.command, detail: "its output is not an ExecCredential")
        }
        var credential = Credential()
        credential.token = status.token
        credential.clientCertificatePEM = status.clientCertificateData.map { Array($0.utf8) }
        credential.clientKeyPEM = status.clientKeyData.map { Array($0.utf8) }
        credential.expiration = status.expirationTimestamp.flatMap { KubeTime.parse($0) }
        if credential.token == nil, credential.clientCertificatePEM == nil {
            throw KubeError.credentialPlugin(command: config.command, detail: "it returned neither a token nor a client certificate")
        }
        return credential
    }

    /// How long a credential plugin may run.
    static let pluginTimeout: Double = 60

    /// Runs the plugin on a dispatch thread (it is short-lived), never on the async pool.
    static func execute(_ command: String, arguments: [String], environment: [String: String])
        async throws -> (Int32, Data, Data)
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                if command.contains("/") {
                    process.executableURL = URL(fileURLWithPath: command)
                    process.arguments = arguments
                } else {
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = [command] + arguments
                }
                process.environment = environment
                let out = Pipe()
                let err = Pipe()
                process.standardOutput = out
                process.standardError = err
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: KubeError.credentialPlugin(command: command, detail: "\(error)"))
                    return
                }
                // A plugin that hangs (waiting on a prompt, a dead network) is killed after
                // `pluginTimeout`: every request waits for the token.
                let killer = DispatchWorkItem {
                    guard process.isRunning else { return }
                    process.terminate()
                    DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                    }
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + pluginTimeout, execute: killer)
                defer { killer.cancel() }
                let stderrBox = DataBox()
                let group = DispatchGroup()
                group.enter()
                DispatchQueue.global().async {
                    stderrBox.data = err.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
                let stdout = out.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, stdout, stderrBox.data))
            }
        }
    }
}

/// Written by one dispatch block and read after `DispatchGroup.wait()` (happens-before), so
/// unsynchronised access is safe.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
