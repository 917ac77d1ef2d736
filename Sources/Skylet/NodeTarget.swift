import Foundation
import SkyCore

/// How the head's skylet reaches one node: itself (rank 0), a local sandbox directory, a
/// host over ssh, or a node of a Slurm allocation as a job step (every rank, the head
/// included, so each runs in a step that holds the allocation's GPUs). Every node is driven
/// the same way: a bash reading a script (`command(payload:)`).
struct NodeTarget: Sendable {
    /// How a payload reaches the node: `argv` reads it on stdin, or from `payloadFile`.
    struct Command {
        let argv: [String]
        /// The payload's file (Slurm), to remove when the node is done; nil: write it to stdin.
        let payloadFile: String?
    }

    let rank: Int
    let endpoint: NodeEndpoint
    /// Home of the node when it is run locally.
    let localHome: String?
    /// ssh options (identity, known_hosts) when it is reached over ssh; the `srun` step
    /// command for a Slurm node.
    let sshArgs: [String]
    /// Slurm: the node's home (the cluster's directory on the shared filesystem).
    let stepHome: String?
    /// Slurm: `srun ... --` of a step that reads nothing on stdin (the command follows).
    let silentStep: [String]?

    /// `stepName`: on Slurm, the name of the step in `squeue -s` and `sacct`.
    init(
        rank: Int, endpoint: NodeEndpoint, paths: SkyletPaths, cluster: ClusterSpec,
        stepName: String? = nil
    ) {
        self.rank = rank
        self.endpoint = endpoint
        stepHome = endpoint.kind == .slurm ? (endpoint.home ?? paths.home) : nil
        silentStep = stepHome.map {
            SlurmStep.argv(endpoint: endpoint, home: $0, name: stepName, stdin: false)
        }
        if let stepHome {
            localHome = nil
            sshArgs =
                SlurmStep.argv(endpoint: endpoint, home: stepHome, name: stepName)
                + SlurmStep.shell
        } else if rank == 0 || endpoint.kind == .local {
            localHome = endpoint.kind == .local ? (endpoint.home ?? paths.home) : paths.home
            sshArgs = []
        } else {
            localHome = nil
            let knownHosts = paths.expand(cluster.knownHostsFile ?? paths.defaultKnownHosts)
            var args = [
                "ssh", "-T", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=\(knownHosts)", "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=10",
                "-o", "LogLevel=ERROR", "-p", String(endpoint.port ?? 22),
            ]
            if let key = endpoint.identityFile {
                args += ["-i", paths.expand(key), "-o", "IdentitiesOnly=yes"]
            }
            let host = endpoint.user.map { "\($0)@\(endpoint.ip)" } ?? endpoint.ip
            sshArgs = args + [host, "bash -s"]
        }
    }

    /// `head` or `worker<rank>`.
    var name: String { rank == 0 ? "head" : "worker\(rank)" }

    var argv: [String] { localHome == nil ? sshArgs : ["/bin/bash", "-s"] }

    /// How to run `payload` on the node. On Slurm the node's bash reads it from a file in the
    /// node's home (shared by the nodes; only the user can read it), not from srun's stdin:
    /// srun forwarding it over the step's I/O connection cost the task ~15 ms before its
    /// first line, and its stdin traffic made the step's later output wait for srun's
    /// delayed ACKs more often (see `NodePayload.script`'s `reportsSession`).
    func command(payload: String) throws -> Command {
        guard let stepHome, let silentStep else { return Command(argv: argv, payloadFile: nil) }
        let file = stepHome + "/.sky/skylet/payloads/\(UUID().uuidString).sh"
        try Self.writePrivate(Data(payload.utf8), to: file, folderPermissions: 0o700)
        return Command(argv: silentStep + ["/bin/bash", file], payloadFile: file)
    }

    /// Writes a file of the job's for the nodes (mode 0600, `AtomicFile`: no fsync on a job's
    /// start), its folder made with `folderPermissions` if missing.
    static func writePrivate(_ data: Data, to path: String, folderPermissions: Int = 0o755) throws {
        let dir = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true,
                attributes: [.posixPermissions: folderPermissions])
            try AtomicFile.write(data, to: path, permissions: 0o600)
        } catch {
            throw SkyletError.io("Could not write \(path): \(error)")
        }
    }

    /// Whether a line on the transport's stderr is the transport's own report of the node's
    /// exit, which the driver reports itself (srun's, on Slurm).
    func isTransportReport(_ line: String) -> Bool {
        stepHome != nil && SlurmStep.isExitReport(line)
    }

    /// The environment of the transport process.
    func environment(base: [String: String]) -> [String: String] {
        if let stepHome { return SlurmStep.environment(base: base, home: stepHome) }
        var env = base
        if let localHome { env["HOME"] = localHome }
        return env
    }

    /// Runs a short script on the node and waits for it.
    func runScript(_ script: String, base: [String: String]) -> (Int32, String) {
        guard
            let (code, out, err) = try? Spawn.run(
                argv, environment: environment(base: base), input: Data(script.utf8))
        else { return (255, "") }
        return (code, out + err)
    }

    /// Kills every process of session `sid` on the node: SIGTERM (and SIGHUP to the leader, an
    /// interactive bash that ignores SIGTERM), then SIGKILL after a grace period (zombies, which an init that does not reap leaves behind, do not count).
    /// Returns whether nothing of the session is left.
    @discardableResult
    func killSession(_ sid: Int32, base: [String: String], graceSeconds: Double = 3) -> Bool {
        let steps = max(1, Int(graceSeconds * 10))
        let script = """
            {
            exec 0</dev/null
            alive() { ps -o stat= --sid \(sid) 2>/dev/null | grep -qv '^Z'; }
            alive || exit 0
            pkill -TERM -s \(sid) 2>/dev/null
            kill -HUP \(sid) 2>/dev/null
            for _ in $(seq \(steps)); do alive || exit 0; sleep 0.1; done
            pkill -KILL -s \(sid) 2>/dev/null
            for _ in $(seq 20); do alive || exit 0; sleep 0.1; done
            exit 1
            }

            """
        return runScript(script, base: base).0 == 0
    }
}
