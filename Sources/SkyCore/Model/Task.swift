/// A parsed, validated task: one document of a task YAML after `${VAR}` substitution.
public struct Task: Sendable, Hashable {
    public var name: String?
    public var workdir: Workdir?
    public var numNodes: Int
    /// Environment variables in file order (CLI overrides applied).
    public var envs: [(String, String)]
    /// Inline secrets in file order. Values never appear in output; see `Redactor`.
    public var secrets: [(String, String)]
    /// Destination path -> source.
    public var fileMounts: [(String, FileMount)]
    public var setup: String?
    public var run: String?
    /// Resource candidates. One entry for a plain block.
    public var resources: [Resources]
    /// `ordered`: try candidates first to last. Otherwise the optimizer picks the cheapest.
    public var resourcesOrdered: Bool
    /// The task's `config` block (whitelisted `~/.sky/config.yaml` keys and `hooks`).
    public var config: JSONValue?
    /// `service` (SkyServe), `pool`, `volumes`, normalized as SkyPilot writes them.
    public var service: JSONValue?
    public var pool: JSONValue?
    public var volumes: JSONValue?
    /// Lifecycle hooks (`config.hooks`), normalized: `{run, events, timeout}` each.
    public var hooks: [JSONValue]?
    /// Server-side secret references (`secrets: [secrets:NAME]`, null-valued secrets,
    /// `managed_secrets`).
    public var managedSecretRefs: [ManagedSecretRef]
    public var eventCallback: String?
    /// Experimental egress estimates `{uri: size_GB}`.
    public var inputs: JSONValue?
    public var outputs: JSONValue?
    /// `api_server_access` (default true).
    public var apiServerAccess: Bool
    public var volumeMounts: JSONValue?
    public var fileMountsMapping: JSONValue?
    /// `_metadata` (e.g. `git_commit`).
    public var metadata: JSONValue?
    /// Where relative local paths (`workdir`, file mount sources) resolve: the caller's working
    /// directory, as in SkyPilot.
    public var baseDirectory: String?

    public init(run: String? = nil) {
        self.name = nil
        self.workdir = nil
        self.numNodes = 1
        self.envs = []
        self.secrets = []
        self.fileMounts = []
        self.setup = nil
        self.run = run
        self.resources = [Resources()]
        self.resourcesOrdered = false
        self.config = nil
        self.service = nil
        self.pool = nil
        self.volumes = nil
        self.hooks = nil
        self.managedSecretRefs = []
        self.eventCallback = nil
        self.inputs = nil
        self.outputs = nil
        self.apiServerAccess = true
        self.volumeMounts = nil
        self.fileMountsMapping = nil
        self.metadata = nil
        self.baseDirectory = nil
    }

    /// A reference to a secret held by a secrets manager, resolved at launch.
    public struct ManagedSecretRef: Sendable, Hashable {
        public var name: String
        public var mountPath: String?
        /// `personal`, `workspace` or `global`.
        public var scope: String?
        public init(name: String, mountPath: String? = nil, scope: String? = nil) {
            self.name = name
            self.mountPath = mountPath
            self.scope = scope
        }
    }

    public static func == (lhs: Task, rhs: Task) -> Bool {
        lhs.name == rhs.name && lhs.workdir == rhs.workdir && lhs.numNodes == rhs.numNodes
            && lhs.envs.map { [$0.0, $0.1] } == rhs.envs.map { [$0.0, $0.1] }
            && lhs.secrets.map { [$0.0, $0.1] } == rhs.secrets.map { [$0.0, $0.1] }
            && lhs.fileMounts.map(\.0) == rhs.fileMounts.map(\.0)
            && lhs.fileMounts.map(\.1) == rhs.fileMounts.map(\.1)
            && lhs.setup == rhs.setup && lhs.run == rhs.run && lhs.resources == rhs.resources
            && lhs.resourcesOrdered == rhs.resourcesOrdered && lhs.config == rhs.config
            && lhs.service == rhs.service && lhs.pool == rhs.pool && lhs.volumes == rhs.volumes
            && lhs.hooks == rhs.hooks && lhs.managedSecretRefs == rhs.managedSecretRefs
            && lhs.eventCallback == rhs.eventCallback && lhs.inputs == rhs.inputs
            && lhs.outputs == rhs.outputs && lhs.apiServerAccess == rhs.apiServerAccess
            && lhs.volumeMounts == rhs.volumeMounts
            && lhs.fileMountsMapping == rhs.fileMountsMapping
            && lhs.metadata == rhs.metadata
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(run)
        hasher.combine(numNodes)
    }

    public enum Workdir: Sendable, Hashable {
        /// A local directory, as written (`~` and relative paths: resolve with `expandLocalPath`).
        case path(String)
        /// A git repository and an optional ref (branch, tag or commit).
        case git(url: String, ref: String?)
    }

    public enum FileMount: Sendable, Hashable {
        /// A local file or directory, as written (resolve with `expandLocalPath`).
        case local(String)
        /// A cloud object URI (`s3://`, `gs://`, `r2://`, ...).
        case uri(String)
        /// A storage object (bucket), as SkyPilot normalizes it.
        case storage(JSONValue)
    }
}
