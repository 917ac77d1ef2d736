import Foundation

/// Output of a finished command.
public struct CommandResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
    public init(exitCode: Int32, stdout: String, stderr: String) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs commands on one node: the local machine, an ssh host, (later) a pod or a Slurm step.
/// Commands are argument arrays; a runner quotes them for its transport itself.
public protocol CommandRunner: Sendable {
    /// Short name for messages (`node1`, `10.77.0.11`, `local:node0`).
    var nodeName: String { get }
    /// Runs `argv` on the node, feeding `stdin` if given, and collects output.
    func run(_ argv: [String], stdin: Data?, environment: [String: String]) async throws
        -> CommandResult
    /// Runs `argv` and delivers stdout lines as they arrive; returns the exit code.
    func stream(
        _ argv: [String], stdin: Data?, environment: [String: String],
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> Int32
    /// Copies a local file or directory to `remotePath` on the node (rsync semantics:
    /// a trailing `/` on `localPath` copies its contents). `filters` are rsync filter args.
    func upload(_ localPath: String, to remotePath: String, filters: [String]) async throws
    /// Copies a file or directory from the node to a local path.
    func download(_ remotePath: String, to localPath: String) async throws
}
