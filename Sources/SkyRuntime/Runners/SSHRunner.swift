import Foundation

/// Runs commands on a host with the system `ssh` (and copies with `rsync -e ssh`). The remote
/// command line is built from `argv` with `ShellQuote`, so each element arrives as one
/// argument whatever it contains. Connections are multiplexed: the first use of a host starts
/// a ControlMaster (`ssh -fN`) whose socket lives under `options.controlDirectory`; later
/// commands ride on it.
package struct SSHRunner: CommandRunner {
    package let options: SSHOptions
    package let nodeName: String

    package init(options: SSHOptions, nodeName: String? = nil) {
        self.options = options
        self.nodeName = nodeName ?? options.destination
    }

    package func run(_ argv: [String], stdin: Data?, environment: [String: String]) async throws
        -> CommandResult
    {
        try await ControlMasters.shared.ensure(options, nodeName: nodeName)
        let result = try await ProcessExecution.run(
            sshArgv(remoteCommand(argv, environment: environment)), stdin: stdin)
        if result.exitCode == 255, Self.looksLikeSSHFailure(result.stderr) {
            throw RunnerError.unreachable(
                node: nodeName,
                detail: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result
    }

    package func stream(
        _ argv: [String], stdin: Data?, environment: [String: String],
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> Int32 {
        try await ControlMasters.shared.ensure(options, nodeName: nodeName)
        let result = try await ProcessExecution.run(
            sshArgv(remoteCommand(argv, environment: environment)), stdin: stdin,
            onStdoutLine: onLine)
        if result.exitCode == 255, Self.looksLikeSSHFailure(result.stderr) {
            throw RunnerError.unreachable(
                node: nodeName,
                detail: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result.exitCode
    }

    package func upload(_ localPath: String, to remotePath: String, filters: [String])
        async throws
    {
        try await ControlMasters.shared.ensure(options, nodeName: nodeName)
        let remote = Self.homeRelative(remotePath)
        let trimmed = remote.hasSuffix("/") ? String(remote.dropLast()) : remote
        let parent = (trimmed as NSString).deletingLastPathComponent
        var argv = ["rsync", "-a", "-e", rsyncShell()] + filters
        if !parent.isEmpty {
            argv += ["--rsync-path", "mkdir -p \(ShellQuote.quote(parent)) && rsync"]
        }
        argv += [localPath, "\(options.destination):\(remote.isEmpty ? "." : remote)"]
        try await copy(argv)
    }

    package func download(_ remotePath: String, to localPath: String) async throws {
        try await ControlMasters.shared.ensure(options, nodeName: nodeName)
        let remote = Self.homeRelative(remotePath)
        try await copy(
            ["rsync", "-a", "-e", rsyncShell(), "\(options.destination):\(remote)", localPath])
    }

    /// Closes this host's ControlMaster, if any.
    package func closeMaster() async {
        await ControlMasters.shared.close(options)
    }

    /// The full local argv of `ssh` running `command` on the host.
    package func sshArgv(_ command: String) -> [String] {
        ["ssh"] + options.commonArguments(master: "no") + [
            "-T", "--", options.destination, command,
        ]
    }

    /// The remote shell command line for `argv` (with `env K=V` first when needed).
    /// Environment values appear in the remote process list: never pass secrets this way.
    package func remoteCommand(_ argv: [String], environment: [String: String]) -> String {
        var words: [String] = []
        if !environment.isEmpty {
            words.append("env")
            words += environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        }
        return ShellQuote.join(words + argv)
    }

    /// `rsync -e` value: rsync splits it on spaces honouring quotes.
    private func rsyncShell() -> String {
        ShellQuote.join(["ssh"] + options.commonArguments(master: "no"))
    }

    private func copy(_ argv: [String]) async throws {
        let result = try await ProcessExecution.run(argv)
        guard result.exitCode == 0 else {
            throw RunnerError.copyFailed(
                node: nodeName, command: argv.first ?? "rsync",
                detail: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// rsync and ssh resolve relative remote paths against the login home; `~/` is dropped.
    static func homeRelative(_ path: String) -> String {
        if path == "~" || path == "~/" { return "" }
        if path.hasPrefix("~/") { return String(path.dropFirst(2)) }
        return path
    }

    /// ssh itself failed (as opposed to the remote command exiting 255).
    static func looksLikeSSHFailure(_ stderr: String) -> Bool {
        let markers = [
            "Connection refused", "Connection timed out", "No route to host",
            "Permission denied", "Host key verification failed", "Could not resolve hostname",
            "Connection closed", "kex_exchange_identification", "Network is unreachable",
            "REMOTE HOST IDENTIFICATION HAS CHANGED", "Operation timed out",
        ]
        return markers.contains { stderr.contains($0) }
    }
}
