/// What the engine tells a cluster's head-node skylet about the cluster (written to
/// `~/.sky/skylet/cluster.json` on the head at launch, re-written on every launch/start).
public struct ClusterSpec: Codable, Sendable, Hashable {
    public var clusterName: String
    public var clusterNameOnCloud: String
    public var cloud: String
    public var region: String?
    public var zone: String?
    /// Every node of the cluster in rank order (head first).
    public var nodes: [NodeEndpoint]
    /// Capacity of each node, for resource-aware scheduling.
    public var cpusPerNode: Double
    public var gpusPerNode: Double
    /// Accelerator name on the nodes, if any.
    public var acceleratorName: String?
    /// Autostop; nil = disabled.
    public var autostop: AutostopSpec?
    /// Hooks from the task's `config.hooks` (run on stop / down events).
    public var hooks: [HookSpec]
    /// known_hosts file on the head node holding the worker nodes' host keys (the engine
    /// writes it); nil = `~/.sky/skylet/known_hosts`.
    public var knownHostsFile: String?
    /// The daemon starts the job drivers (`submit` queues the job and wakes it): where the
    /// daemon runs in a long-lived process tree and a driver started by `submit` would end
    /// with the command that submitted it (a Slurm batch step under cgroup tracking). nil:
    /// `submit` starts them.
    public var daemonStartsDrivers: Bool?

    public init(
        clusterName: String, clusterNameOnCloud: String, cloud: String, region: String? = nil,
        zone: String? = nil, nodes: [NodeEndpoint], cpusPerNode: Double, gpusPerNode: Double,
        acceleratorName: String? = nil, autostop: AutostopSpec? = nil, hooks: [HookSpec] = [],
        knownHostsFile: String? = nil, daemonStartsDrivers: Bool? = nil
    ) {
        self.clusterName = clusterName
        self.clusterNameOnCloud = clusterNameOnCloud
        self.cloud = cloud
        self.region = region
        self.zone = zone
        self.nodes = nodes
        self.cpusPerNode = cpusPerNode
        self.gpusPerNode = gpusPerNode
        self.acceleratorName = acceleratorName
        self.autostop = autostop
        self.hooks = hooks
        self.knownHostsFile = knownHostsFile
        self.daemonStartsDrivers = daemonStartsDrivers
    }

    public struct AutostopSpec: Codable, Sendable, Hashable {
        public var idleMinutes: Int
        public var down: Bool
        /// `jobs_and_ssh`, `jobs` or `none`.
        public var waitFor: String
        public init(idleMinutes: Int, down: Bool, waitFor: String) {
            self.idleMinutes = idleMinutes
            self.down = down
            self.waitFor = waitFor
        }
    }

    public struct HookSpec: Codable, Sendable, Hashable {
        public var run: String
        /// `stop`, `preemption`, `down`.
        public var events: [String]
        public var timeoutSeconds: Int
        public init(run: String, events: [String], timeoutSeconds: Int) {
            self.run = run
            self.events = events
            self.timeoutSeconds = timeoutSeconds
        }
    }
}
