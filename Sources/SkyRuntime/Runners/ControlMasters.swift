import Foundation

/// Starts at most one ControlMaster per host and process (`ssh -fN`, stdio detached so the
/// backgrounded master never holds our pipes open) and remembers which are up.
package actor ControlMasters {
    package static let shared = ControlMasters()

    private var inFlight: [String: Task<Void, any Error>] = [:]

    /// Makes sure a master is listening for `options` (no-op without a control directory).
    package func ensure(_ options: SSHOptions, nodeName: String) async throws {
        guard let directory = options.controlDirectory, let socket = options.controlPath
        else { return }
        if FileManager.default.fileExists(atPath: socket) { return }
        if let running = inFlight[socket] { return try await running.value }
        let task = Task {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            var argv = ["ssh"] + Self.arguments(options, socket: socket, master: "auto")
            argv += [
                "-o", "ControlPersist=\(options.controlPersistSeconds)", "-f", "-N", "--",
                options.destination,
            ]
            let (code, stderr) = try await ProcessExecution.runDetached(argv)
            guard code == 0 else {
                throw RunnerError.unreachable(
                    node: nodeName, detail: stderr.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        inFlight[socket] = task
        defer { inFlight[socket] = nil }
        try await task.value
    }

    /// Asks the master to exit (`ssh -O exit`).
    package func close(_ options: SSHOptions) async {
        guard let socket = options.controlPath else { return }
        guard FileManager.default.fileExists(atPath: socket) else { return }
        let argv =
            ["ssh"] + Self.arguments(options, socket: socket, master: "no")
            + ["-O", "exit", "--", options.destination]
        _ = try? await ProcessExecution.runDetached(argv)
    }

    /// Makes the master forward the unix socket `local` to `remote` on the host, for as long
    /// as it lives: a forward of `local` it has already is cancelled first (a master answers
    /// yes to a forward it has without binding again), then `ssh -O forward -L local:remote`
    /// binds `local` anew.
    package func forward(_ options: SSHOptions, local: String, remote: String) async throws {
        guard let socket = options.controlPath else {
            throw RunnerError.unreachable(node: options.destination, detail: "no ssh master")
        }
        func mux(_ operation: String) async throws -> (Int32, String) {
            let argv =
                ["ssh"] + Self.arguments(options, socket: socket, master: "no")
                + ["-O", operation, "-L", local + ":" + remote, "--", options.destination]
            return try await ProcessExecution.runDetached(argv)
        }
        _ = try? await mux("cancel")
        unlink(local)
        let (code, stderr) = try await mux("forward")
        guard code == 0 else {
            throw RunnerError.unreachable(
                node: options.destination,
                detail: stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    private static func arguments(_ options: SSHOptions, socket: String, master: String)
        -> [String]
    {
        var plain = options
        plain.controlDirectory = nil
        return plain.commonArguments() + [
            "-o", "ControlMaster=\(master)", "-o", "ControlPath=\(socket)",
        ]
    }
}
