/// Raw command-line inputs that change a task: `--env`, `--env-file`, `--secret`, `--secret-file`
/// and the task options (`--cpus`, `--infra`, ...). The default value changes nothing.
public struct TaskOverrides: Sendable {
    /// `--env K=V` or `--env K` (copies `processEnvironment[K]`).
    public var env: [String]
    /// `--env-file PATH` (dotenv); also feeds secrets at the lowest priority.
    public var envFiles: [String]
    /// `--secret K=V` or `--secret K`.
    public var secret: [String]
    /// `--secret-file PATH` (dotenv).
    public var secretFiles: [String]
    /// The caller's environment, for `--env K` / `--secret K`.
    public var processEnvironment: [String: String]

    public var name: String?
    public var workdir: String?
    public var gitURL: String?
    public var gitRef: String?
    public var infra: String?
    public var cloud: String?
    public var region: String?
    public var zone: String?
    public var cpus: String?
    public var memory: String?
    public var gpus: String?
    public var instanceType: String?
    public var diskSize: String?
    public var diskTier: String?
    public var networkTier: String?
    public var imageID: String?
    public var useSpot: Bool?
    public var ports: [String]
    public var numNodes: Int?
    public var priority: Int?
    /// `--local-disk`; the string `none` resets a YAML value.
    public var localDisk: String?
    /// Backend names accepted besides SkyPilot's clouds (installed provisioner plugins), for
    /// `infra:` / `cloud:` in the file and `--infra` / `--cloud`. Not a task option.
    public var extraBackends: ExtraBackends = .none

    public init(
        env: [String] = [], envFiles: [String] = [], secret: [String] = [],
        secretFiles: [String] = [],
        processEnvironment: [String: String] = [:], name: String? = nil, workdir: String? = nil,
        gitURL: String? = nil, gitRef: String? = nil, infra: String? = nil, cloud: String? = nil,
        region: String? = nil, zone: String? = nil, cpus: String? = nil, memory: String? = nil,
        gpus: String? = nil, instanceType: String? = nil, diskSize: String? = nil,
        diskTier: String? = nil, networkTier: String? = nil, imageID: String? = nil,
        useSpot: Bool? = nil, ports: [String] = [], numNodes: Int? = nil, priority: Int? = nil,
        localDisk: String? = nil
    ) {
        self.env = env
        self.envFiles = envFiles
        self.secret = secret
        self.secretFiles = secretFiles
        self.processEnvironment = processEnvironment
        self.name = name
        self.workdir = workdir
        self.gitURL = gitURL
        self.gitRef = gitRef
        self.infra = infra
        self.cloud = cloud
        self.region = region
        self.zone = zone
        self.cpus = cpus
        self.memory = memory
        self.gpus = gpus
        self.instanceType = instanceType
        self.diskSize = diskSize
        self.diskTier = diskTier
        self.networkTier = networkTier
        self.imageID = imageID
        self.useSpot = useSpot
        self.ports = ports
        self.numNodes = numNodes
        self.priority = priority
        self.localDisk = localDisk
    }

    /// Whether any option changes resources or task fields (ignored for multi-task files).
    var hasTaskOptions: Bool {
        name != nil || workdir != nil || gitURL != nil || gitRef != nil || infra != nil
            || cloud != nil
            || region != nil || zone != nil || cpus != nil || memory != nil || gpus != nil
            || instanceType != nil || diskSize != nil || diskTier != nil || networkTier != nil
            || imageID != nil || useSpot != nil || !ports.isEmpty || numNodes != nil
            || priority != nil
            || localDisk != nil
    }
}

/// What a task file holds: one task, or a pipeline / job group of several.
public enum TaskDocument: Sendable {
    case task(Task)
    case dag(name: String?, tasks: [Task])

    public var tasks: [Task] {
        switch self {
        case .task(let t): return [t]
        case .dag(_, let tasks): return tasks
        }
    }
}
