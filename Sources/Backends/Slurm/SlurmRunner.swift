import Foundation
import SkyRuntime

/// Runs commands on one node of a Sky cluster's allocation as a job step:
/// `srun --overlap --jobid=<allocation> --nodes=1 --ntasks=1 --nodelist=<node> -- argv`.
/// The step shares the allocation's CPUs and sees its GPUs (`CUDA_VISIBLE_DEVICES` from
/// GRES). The environment travels in srun's own environment (`--export=ALL`), never in argv.
/// Copies go through `rsync` with srun as its remote shell. Paths are on the node; `~/x` and
/// relative paths are under the user's home (Slurm clusters share it between nodes).
package struct SlurmRunner: CommandRunner {
    package let jobID: UInt32
    package let node: String
    /// The node's home for Sky: the cluster's directory on the shared filesystem (`HOME` of
    /// every step).
    package let home: String
    /// Environment srun starts from (SLURM_* job variables are dropped; SLURM_CONF is kept).
    package let baseEnvironment: [String: String]

    package init(
        jobID: UInt32, node: String, home: String? = nil,
        baseEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.jobID = jobID
        self.node = node
        self.home = home ?? baseEnvironment["HOME"] ?? NSHomeDirectory()
        self.baseEnvironment = baseEnvironment
    }

    package var nodeName: String { node }

    /// The `srun` prefix that places one task on this node inside the allocation.
    package var stepPrefix: [String] { Self.stepPrefix(jobID: jobID, node: node, home: home) }

    /// `srun --overlap --jobid=... --nodelist=<node> ...` (the command follows after `--`).
    package static func stepPrefix(jobID: UInt32, node: String, home: String) -> [String] {
        [
            "srun", "--overlap", "--jobid=\(jobID)", "--nodes=1", "--ntasks=1",
            "--nodelist=\(node)", "--quiet", "--kill-on-bad-exit=1", "--chdir=\(home)",
        ]
    }

    package func run(_ argv: [String], stdin: Data?, environment: [String: String]) async throws
        -> CommandResult
    {
        try await ProcessExecution.run(
            stepPrefix + ["--"] + argv, environment: stepEnvironment(environment), stdin: stdin)
    }

    package func stream(
        _ argv: [String], stdin: Data?, environment: [String: String],
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> Int32 {
        try await ProcessExecution.run(
            stepPrefix + ["--"] + argv, environment: stepEnvironment(environment), stdin: stdin,
            onStdoutLine: onLine
        ).exitCode
    }

    package func upload(_ localPath: String, to remotePath: String, filters: [String])
        async throws
    {
        let destination = resolve(remotePath)
        let trimmed = destination.hasSuffix("/") ? String(destination.dropLast()) : destination
        let parent = (trimmed as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            let made = try await run(["mkdir", "-p", parent], stdin: nil, environment: [:])
            guard made.exitCode == 0 else {
                throw RunnerError.copyFailed(
                    node: node, command: "mkdir -p \(parent)", detail: made.stderr)
            }
        }
        try await rsync(filters + [localPath, node + ":" + destination])
    }

    package func download(_ remotePath: String, to localPath: String) async throws {
        let trimmed = localPath.hasSuffix("/") ? String(localPath.dropLast()) : localPath
        let parent = (trimmed as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try FileManager.default.createDirectory(
                atPath: parent, withIntermediateDirectories: true)
        }
        try await rsync([node + ":" + resolve(remotePath), localPath])
    }

    /// `~/x` and relative paths under the home directory.
    package func resolve(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + "/" + path.dropFirst(2) }
        if path.hasPrefix("/") { return path }
        return home + "/" + path
    }

    /// rsync with `srun ... --nodelist` as its remote shell: rsync appends the host (our
    /// node name) and its server command. `--unbuffered` matters: srun line-buffers a step's
    /// output otherwise, and rsync's binary protocol then stalls. rsync splits the `-e` string on spaces, so every
    /// piece of it is a plain token (numbers and fixed flags).
    private func rsync(_ arguments: [String]) async throws {
        let shell = [
            "srun", "--overlap", "--jobid=\(jobID)", "--nodes=1", "--ntasks=1", "--quiet",
            "--unbuffered", "--nodelist",
        ].joined(separator: " ")
        let argv = ["rsync", "-a", "--blocking-io", "-e", shell] + arguments
        let result = try await ProcessExecution.run(argv, environment: stepEnvironment([:]))
        guard result.exitCode == 0 else {
            throw RunnerError.copyFailed(
                node: node, command: "rsync " + arguments.joined(separator: " "),
                detail: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// srun reads SLURM_* variables as options: drop those of any job we may run inside.
    func stepEnvironment(_ extra: [String: String]) -> [String: String] {
        var env = baseEnvironment.filter { !$0.key.hasPrefix("SLURM_") || $0.key == "SLURM_CONF" }
        env["HOME"] = home
        env.merge(extra) { _, new in new }
        return env
    }
}
