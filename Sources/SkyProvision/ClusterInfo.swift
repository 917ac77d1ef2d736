/// A running cluster's nodes, head first (reference 5.1).
public struct ClusterInfo: Codable, Sendable, Hashable {
    public var provider: String
    public var region: String
    public var zone: String?
    public var clusterNameOnCloud: String
    /// Every node, head first, workers in a stable order.
    public var instances: [InstanceInfo]
    public var headInstanceID: String?
    /// Default ssh user of the nodes.
    public var sshUser: String?
    public var providerConfig: [String: String]

    /// `providerConfig` key: `daemon` when the head's skylet daemon must start the job
    /// drivers itself (they would not outlive the command that submitted them there, e.g. a
    /// Slurm step under cgroup process tracking); absent or `submit`: `submit` starts them.
    public static let skyletDriversKey = "skylet_drivers"

    public init(
        provider: String, region: String, zone: String? = nil, clusterNameOnCloud: String,
        instances: [InstanceInfo], headInstanceID: String? = nil, sshUser: String? = nil,
        providerConfig: [String: String] = [:]
    ) {
        self.provider = provider
        self.region = region
        self.zone = zone
        self.clusterNameOnCloud = clusterNameOnCloud
        self.instances = instances
        self.headInstanceID = headInstanceID ?? instances.first?.instanceID
        self.sshUser = sshUser
        self.providerConfig = providerConfig
    }

    public var head: InstanceInfo? {
        instances.first { $0.instanceID == headInstanceID } ?? instances.first
    }
}
