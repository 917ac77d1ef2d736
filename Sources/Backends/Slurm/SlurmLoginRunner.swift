import Foundation
import SkyRuntime

/// Runs commands on one node of a Sky cluster's allocation from a machine that is not part of
/// the Slurm cluster: ssh to the login node (`~/.slurm/config`), which runs the same job step
/// as on a login node (`srun --overlap --jobid=<allocation> --nodelist=<node> ... -- argv`).
/// `HOME` of the step is the cluster's home; other variables travel on the remote command
/// line (`env K=V srun ...`: never secrets, those go on stdin). Copies go straight to the login
/// node with rsync: the cluster's home is on the filesystem the login node shares with the
/// compute nodes.
package struct SlurmLoginRunner: CommandRunner {
    package let login: SSHRunner
    package let jobID: UInt32
    package let node: String
    /// The cluster's home on the shared filesystem (absolute).
    package let home: String

    package init(login: SSHRunner, jobID: UInt32, node: String, home: String) {
        self.login = login
        self.jobID = jobID
        self.node = node
        self.home = home
    }

    package var nodeName: String { node }

    private var prefix: [String] {
        SlurmRunner.stepPrefix(jobID: jobID, node: node, home: home) + ["--"]
    }

    private func stepEnvironment(_ extra: [String: String]) -> [String: String] {
        var env = extra
        env["HOME"] = home
        return env
    }

    package func run(_ argv: [String], stdin: Data?, environment: [String: String]) async throws
        -> CommandResult
    {
        try await login.run(prefix + argv, stdin: stdin, environment: stepEnvironment(environment))
    }

    package func stream(
        _ argv: [String], stdin: Data?, environment: [String: String],
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> Int32 {
        try await login.stream(
            prefix + argv, stdin: stdin, environment: stepEnvironment(environment), onLine: onLine)
    }

    package func upload(_ localPath: String, to remotePath: String, filters: [String])
        async throws
    {
        try await login.upload(localPath, to: resolve(remotePath), filters: filters)
    }

    package func download(_ remotePath: String, to localPath: String) async throws {
        try await login.download(resolve(remotePath), to: localPath)
    }

    /// `~/x` and relative paths under the cluster's home.
    package func resolve(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + "/" + path.dropFirst(2) }
        if path.hasPrefix("/") { return path }
        return home + "/" + path
    }
}
