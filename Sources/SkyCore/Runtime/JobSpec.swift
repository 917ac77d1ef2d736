/// One job submitted to a cluster's skylet (`skylet submit` reads it as JSON on stdin, so
/// secrets never appear in a process listing).
public struct JobSpec: Codable, Sendable, Hashable {
    public var name: String?
    /// User who submitted it (`SKYPILOT_USER`).
    public var user: String
    public var userHash: String
    /// Nodes the job needs (ranks 0..<numNodes of the cluster).
    public var numNodes: Int
    /// Setup script: present for `sky launch` (runs before `run` on every node; failure =
    /// FAILED_SETUP), absent for `sky exec`.
    public var setup: String?
    public var run: String?
    /// User envs in order, then injected ones (GIT_*, ...).
    public var envs: [[String]]
    /// Secret envs: exported to the job, redacted in every log/queue line.
    public var secrets: [[String]]
    /// Demand per node, for scheduling.
    public var cpusPerNode: Double
    public var gpusPerNode: Double
    /// Human readable resources string for `sky queue` (e.g. `1x[CPU:1]`).
    public var resourcesString: String
    /// Working directory on each node, relative to its home (default `sky_workdir`).
    public var workdir: String

    public init(
        name: String?, user: String, userHash: String, numNodes: Int, setup: String?,
        run: String?, envs: [[String]], secrets: [[String]], cpusPerNode: Double,
        gpusPerNode: Double, resourcesString: String, workdir: String = "sky_workdir"
    ) {
        self.name = name
        self.user = user
        self.userHash = userHash
        self.numNodes = numNodes
        self.setup = setup
        self.run = run
        self.envs = envs
        self.secrets = secrets
        self.cpusPerNode = cpusPerNode
        self.gpusPerNode = gpusPerNode
        self.resourcesString = resourcesString
        self.workdir = workdir
    }
}
