/// One launchable resource candidate, after parsing and `any_of` / `ordered` merging.
/// Accelerator lists and sets are expanded: each candidate names at most one accelerator type.
public struct Resources: Sendable, Hashable {
    /// Lower-case backend name (`gcp`, `aws`, `azure`, `lambda`, `runpod`, `kubernetes`, `ssh`,
    /// `slurm`, `local`, or a plugin name); nil = any enabled backend.
    public var cloud: String?
    /// Region (`ssh-<pool>` for SSH pools, the context for Kubernetes, the cluster for Slurm).
    public var region: String?
    /// Zone (the partition for Slurm).
    public var zone: String?
    public var cpus: Quantity?
    /// Memory in GB.
    public var memory: Quantity?
    /// Accelerator name (canonical spelling when known) and count.
    public var accelerator: Accelerator?
    public var acceleratorArgs: JSONValue?
    public var instanceType: String?
    public var useSpot: Bool
    /// Whether the user wrote `use_spot` explicitly.
    public var useSpotSpecified: Bool
    public var diskSize: Int?
    public var diskTier: String?
    public var networkTier: String?
    public var ports: [String]
    public var labels: [String: String]
    /// Image per region; the key nil applies to every region. Values keep a `docker:` prefix.
    public var imageID: [String?: String]
    public var autostop: Autostop?
    public var jobRecovery: JSONValue?
    public var maxHourlyCost: Double?
    public var priority: Int?
    /// Fields we carry but do not interpret yet, in SkyPilot's normalized form.
    public var extra: [String: JSONValue]

    // Exact SkyPilot spellings, kept so that `Task.yamlConfig()` matches `to_yaml_config()`.
    /// `cpus` as SkyPilot stores it (`"4"`, `"4+"`, `"4.0"`).
    public var cpusText: String?
    /// `memory` after unit conversion (`"32"`, `"32.0"` for `32GB`, `"16+"`).
    public var memoryText: String?
    /// Set when the accelerator came from a memory form (`80GB+`) rather than by name.
    public var noMissingAccelWarnings: Bool?
    /// `autostop: false` written explicitly.
    public var autostopDisabled: Bool
    /// `local_disk`, normalized to `mode:size[+]` (`nvme:100+`).
    public var localDisk: String?
    public var priorityClass: String?
    /// Cloud volumes (`resources.volumes` plus `file_mounts` with `store: volume`).
    public var volumes: [JSONValue]?
    /// The task `config` block minus `hooks` (per-task `~/.sky/config.yaml` overrides).
    public var clusterConfigOverrides: JSONValue?
    /// Image from an `image_id` map's `docker` key (without the `docker:` prefix).
    public var dockerImage: String?
    /// Private registry login from `SKYPILOT_DOCKER_{USERNAME,PASSWORD,SERVER}`; the password
    /// is a secret.
    public var dockerLoginConfig: DockerLoginConfig?
    public var dockerUsernameForRunpod: String?
    /// The task mounts a bucket (MOUNT / MOUNT_CACHED), so nodes need FUSE.
    public var requiresFuse: Bool?
    /// `labels` was written (possibly empty).
    public var labelsSpecified: Bool

    public init(
        cloud: String? = nil, region: String? = nil, zone: String? = nil,
        cpus: Quantity? = nil, memory: Quantity? = nil, accelerator: Accelerator? = nil,
        instanceType: String? = nil, useSpot: Bool = false
    ) {
        self.cloud = cloud
        self.region = region
        self.zone = zone
        self.cpus = cpus
        self.memory = memory
        self.accelerator = accelerator
        self.acceleratorArgs = nil
        self.instanceType = instanceType
        self.useSpot = useSpot
        self.useSpotSpecified = false
        self.diskSize = nil
        self.diskTier = nil
        self.networkTier = nil
        self.ports = []
        self.labels = [:]
        self.imageID = [:]
        self.autostop = nil
        self.jobRecovery = nil
        self.maxHourlyCost = nil
        self.priority = nil
        self.extra = [:]
        self.cpusText = nil
        self.memoryText = nil
        self.noMissingAccelWarnings = nil
        self.autostopDisabled = false
        self.localDisk = nil
        self.priorityClass = nil
        self.volumes = nil
        self.clusterConfigOverrides = nil
        self.dockerImage = nil
        self.dockerLoginConfig = nil
        self.dockerUsernameForRunpod = nil
        self.requiresFuse = nil
        self.labelsSpecified = false
    }

    public struct DockerLoginConfig: Sendable, Hashable {
        public var username: String
        public var password: String
        public var server: String
        public init(username: String, password: String, server: String) {
            self.username = username
            self.password = password
            self.server = server
        }
    }

    /// `N` or `N+` (at least N).
    public struct Quantity: Sendable, Hashable, CustomStringConvertible {
        public var value: Double
        public var orMore: Bool
        public init(_ value: Double, orMore: Bool = false) {
            self.value = value
            self.orMore = orMore
        }
        public func admits(_ offered: Double) -> Bool {
            orMore ? offered >= value - 1e-9 : abs(offered - value) < 1e-9
        }
        public var description: String {
            let v = value == value.rounded() ? String(Int(value)) : String(value)
            return orMore ? v + "+" : v
        }
    }

    public struct Accelerator: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var count: Double
        public init(name: String, count: Double) {
            self.name = name
            self.count = count
        }
        public var description: String {
            count == count.rounded() ? "\(name):\(Int(count))" : "\(name):\(count)"
        }
    }

    public struct Autostop: Sendable, Hashable {
        public var idleMinutes: Int
        public var down: Bool
        /// `jobs_and_ssh` (default), `jobs` or `none`.
        public var waitFor: String
        /// Whether `wait_for` was written explicitly.
        public var waitForSpecified: Bool
        public init(idleMinutes: Int, down: Bool = false, waitFor: String = "jobs_and_ssh") {
            self.idleMinutes = idleMinutes
            self.down = down
            self.waitFor = waitFor
            self.waitForSpecified = false
        }
    }
}
