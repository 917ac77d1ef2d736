import Foundation

/// Runs commands on this machine. For a node of the `local` backend, `home` is the node's
/// sandbox directory: commands run with `HOME` set to it and in it, and relative paths of
/// `upload`/`download` are relative to it (as a remote path is relative to the login home).
package struct LocalRunner: CommandRunner {
    package let nodeName: String
    /// The node's home (HOME override + working directory); nil = the caller's own.
    package let home: String?
    /// Base environment of every command (default: this process's).
    package let baseEnvironment: [String: String]

    package init(
        nodeName: String = "local", home: String? = nil,
        baseEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.nodeName = nodeName
        self.home = home
        self.baseEnvironment = baseEnvironment
    }

    package func run(_ argv: [String], stdin: Data?, environment: [String: String]) async throws
        -> CommandResult
    {
        try await ProcessExecution.run(
            Self.detached(argv), environment: mergedEnvironment(environment), cwd: home,
            stdin: stdin)
    }

    package func stream(
        _ argv: [String], stdin: Data?, environment: [String: String],
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> Int32 {
        try await ProcessExecution.run(
            Self.detached(argv), environment: mergedEnvironment(environment), cwd: home,
            stdin: stdin, onStdoutLine: onLine
        ).exitCode
    }

    /// Runs `argv` through a bash prologue that closes every descriptor above 2 first.
    /// Foundation's `Process` on Linux reports termination only once every holder of an
    /// internal descriptor has closed it, so a background process the command leaves running
    /// (`nohup daemon &`) would otherwise hold the caller until it exits.
    static func detached(_ argv: [String]) -> [String] {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { return argv }
        return [
            "/bin/bash", "-c",
            #"for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && [ -e "$f" ] && eval "exec $n>&-"; done; exec "$@""#,
            "sky-exec",
        ] + argv
    }

    package func upload(_ localPath: String, to remotePath: String, filters: [String])
        async throws
    {
        let destination = resolve(remotePath)
        try makeParent(of: destination)
        try await copy(["rsync", "-a"] + filters + [localPath, destination])
    }

    package func download(_ remotePath: String, to localPath: String) async throws {
        try makeParent(of: localPath)
        try await copy(["rsync", "-a", resolve(remotePath), localPath])
    }

    /// A path on the node: `~/x` and relative paths are under `home`.
    package func resolve(_ path: String) -> String {
        let base = home ?? (baseEnvironment["HOME"] ?? NSHomeDirectory())
        if path == "~" { return base }
        if path.hasPrefix("~/") { return base + "/" + path.dropFirst(2) }
        if path.hasPrefix("/") { return path }
        return base + "/" + path
    }

    private func mergedEnvironment(_ extra: [String: String]) -> [String: String] {
        var env = baseEnvironment
        if let home { env["HOME"] = home }
        env.merge(extra) { _, new in new }
        return env
    }

    private func makeParent(of path: String) throws {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        let parent = (trimmed as NSString).deletingLastPathComponent
        guard !parent.isEmpty else { return }
        try FileManager.default.createDirectory(
            atPath: parent, withIntermediateDirectories: true)
    }

    private func copy(_ argv: [String]) async throws {
        let result = try await ProcessExecution.run(argv, environment: baseEnvironment)
        guard result.exitCode == 0 else {
            throw RunnerError.copyFailed(
                node: nodeName, command: argv.joined(separator: " "),
                detail: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
