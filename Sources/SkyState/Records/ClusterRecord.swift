import Foundation

/// One cluster as the client knows it (`sky status`). The store keeps one row per name.
///
/// `handle` is opaque JSON text owned by the engine (IPs, node endpoints, backend data);
/// it must never hold secrets and is not part of `sky status -o json`.
package struct ClusterRecord: Codable, Sendable, Equatable {
    package var name: String
    package var status: ClusterStatus
    package var launchedAt: Date
    /// The last command that used the cluster (SkyPilot's `last_use`), e.g. `sky exec c1 ...`.
    package var lastUse: String
    /// Idle minutes before autostop; -1 when autostop is off.
    package var autostopMinutes: Int
    /// Autostop tears the cluster down instead of stopping it.
    package var toDown: Bool
    /// Cloud identity that owns the cluster, when the backend reports one.
    package var owner: String?
    package var userName: String
    package var userHash: String
    /// Identifies one lifetime of the cluster (a relaunch after `down` gets a new hash).
    package var clusterHash: String
    package var workspace: String
    package var cloud: String?
    package var region: String?
    package var zone: String?
    package var numNodes: Int
    package var cpus: Double?
    /// Memory per node in GB.
    package var memory: Double?
    /// Accelerator name to count per node, e.g. `["A100": 8]`.
    package var accelerators: [String: Double]
    /// Human-readable resources, e.g. `1x AWS(m6i.large, {'A100': 8})`.
    package var resourcesString: String
    package var labels: [String: String]
    package var clusterNameOnCloud: String?
    /// Opaque JSON text for the engine; never secrets.
    package var handle: String?
    package var lastCreationCommand: String?
    package var lastCreationYaml: String?
    /// Who created the cluster: `cli`, `operator`, `api`, `jobs-controller`, ...
    package var origin: String
    package var isManaged: Bool
    /// Set once the cluster has reached UP at least once.
    package var everUp: Bool
    /// Price of one node per hour in USD.
    package var hourlyCost: Double
    package var priority: Int
    /// Set by the store on every write.
    package var updatedAt: Date

    package init(
        name: String, status: ClusterStatus = .initializing, launchedAt: Date = Date(),
        lastUse: String = "", autostopMinutes: Int = -1, toDown: Bool = false,
        owner: String? = nil, userName: String, userHash: String, clusterHash: String,
        workspace: String = "default", cloud: String? = nil, region: String? = nil,
        zone: String? = nil, numNodes: Int = 1, cpus: Double? = nil, memory: Double? = nil,
        accelerators: [String: Double] = [:], resourcesString: String = "",
        labels: [String: String] = [:], clusterNameOnCloud: String? = nil,
        handle: String? = nil, lastCreationCommand: String? = nil,
        lastCreationYaml: String? = nil, origin: String = "cli", isManaged: Bool = false,
        everUp: Bool = false, hourlyCost: Double = 0, priority: Int = 0,
        updatedAt: Date = Date()
    ) {
        self.name = name
        self.status = status
        self.launchedAt = launchedAt
        self.lastUse = lastUse
        self.autostopMinutes = autostopMinutes
        self.toDown = toDown
        self.owner = owner
        self.userName = userName
        self.userHash = userHash
        self.clusterHash = clusterHash
        self.workspace = workspace
        self.cloud = cloud
        self.region = region
        self.zone = zone
        self.numNodes = numNodes
        self.cpus = cpus
        self.memory = memory
        self.accelerators = accelerators
        self.resourcesString = resourcesString
        self.labels = labels
        self.clusterNameOnCloud = clusterNameOnCloud
        self.handle = handle
        self.lastCreationCommand = lastCreationCommand
        self.lastCreationYaml = lastCreationYaml
        self.origin = origin
        self.isManaged = isManaged
        self.everUp = everUp
        self.hourlyCost = hourlyCost
        self.priority = priority
        self.updatedAt = updatedAt
    }

    /// Whether autostop is configured.
    package var hasAutostop: Bool { autostopMinutes >= 0 }
}
