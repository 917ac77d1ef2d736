/// What `slurm_allocate_resources` (no script: an allocation like `salloc --no-shell`) or
/// `slurm_submit_batch_job` (with a script) gets: one task per node, `cpusPerTask` CPUs each.
package struct SlurmJobRequest: Sendable, Hashable {
    package var name: String
    /// Batch script, starting with `#!`; nil = an allocation without a batch step, which
    /// slurmctld grants at once when the nodes are free (a batch job waits for its next
    /// scheduling pass).
    package var script: String?
    /// nil = the cluster's default partition.
    package var partition: String?
    package var nodes: Int
    /// CPUs per node (one task per node); nil = Slurm's default.
    package var cpusPerTask: Int?
    /// Memory per node in MB; nil = not requested (clusters that do not track memory).
    package var memoryMBPerNode: UInt64?
    /// GRES per node as sbatch's `--gres` takes it: `gpu:1`, `gpu:a100:2`.
    package var gresPerNode: String?
    /// Minutes; nil = the partition's default.
    package var timeLimitMinutes: UInt32?
    package var workDir: String
    package var stdOut: String?
    package var stdErr: String?
    /// The batch job's environment (slurmctld refuses a batch job without one; an allocation
    /// has none).
    package var environment: [String: String]
    package var account: String?
    package var qos: String?
    package var reservation: String?
    /// Required node features (`--constraint`).
    package var constraint: String?
    package var excludeNodes: String?
    package var requiredNodes: String?
    package var comment: String?
    /// `--exclusive`: no other job on the nodes.
    package var exclusive: Bool

    package init(
        name: String, script: String?, partition: String? = nil, nodes: Int = 1,
        cpusPerTask: Int? = nil, memoryMBPerNode: UInt64? = nil, gresPerNode: String? = nil,
        timeLimitMinutes: UInt32? = nil, workDir: String, stdOut: String? = nil,
        stdErr: String? = nil, environment: [String: String]
    ) {
        self.name = name
        self.script = script
        self.partition = partition
        self.nodes = nodes
        self.cpusPerTask = cpusPerTask
        self.memoryMBPerNode = memoryMBPerNode
        self.gresPerNode = gresPerNode
        self.timeLimitMinutes = timeLimitMinutes
        self.workDir = workDir
        self.stdOut = stdOut
        self.stdErr = stdErr
        self.environment = environment
        self.account = nil
        self.qos = nil
        self.reservation = nil
        self.constraint = nil
        self.excludeNodes = nil
        self.requiredNodes = nil
        self.comment = nil
        self.exclusive = false
    }

    /// `tres_per_node` as slurmctld 22.05 stores `--gres` (`gres:gpu:1`).
    package var tresPerNode: String? {
        guard let gres = gresPerNode, !gres.isEmpty else { return nil }
        return gres.split(separator: ",").map { piece in
            piece.hasPrefix("gres:") || piece.hasPrefix("gres/") ? String(piece) : "gres:" + piece
        }.joined(separator: ",")
    }
}
