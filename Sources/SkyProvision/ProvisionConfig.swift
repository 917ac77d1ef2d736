import SkyCore

/// What to create: `count` nodes of `offering` for one cluster (reference 5.1).
public struct ProvisionConfig: Codable, Sendable, Hashable {
    /// The user-facing cluster name.
    public var clusterName: String
    /// The name on the backend (see `ClusterNaming`).
    public var clusterNameOnCloud: String
    public var region: String
    public var zone: String?
    /// The node shape chosen by the optimizer.
    public var offering: Offering
    /// Number of nodes (head included).
    public var count: Int
    public var useSpot: Bool
    /// Ports to open at launch (`resources.ports`).
    public var ports: [String]
    /// Tags / labels for every instance (5.2) plus the user's `labels`.
    public var tags: [String: String]
    /// Restart stopped nodes instead of creating new ones.
    public var resumeStoppedNodes: Bool
    /// Backend-specific settings (from `~/.sky/config.yaml` or `bootstrap`); never secrets.
    public var providerConfig: [String: String]
    /// Path of the private key the cluster's nodes accept (its public key is `<path>.pub`).
    public var privateKeyPath: String?

    public init(
        clusterName: String, clusterNameOnCloud: String, region: String, zone: String? = nil,
        offering: Offering, count: Int, useSpot: Bool = false, ports: [String] = [],
        tags: [String: String] = [:], resumeStoppedNodes: Bool = true,
        providerConfig: [String: String] = [:], privateKeyPath: String? = nil
    ) {
        self.clusterName = clusterName
        self.clusterNameOnCloud = clusterNameOnCloud
        self.region = region
        self.zone = zone
        self.offering = offering
        self.count = count
        self.useSpot = useSpot
        self.ports = ports
        self.tags = tags
        self.resumeStoppedNodes = resumeStoppedNodes
        self.providerConfig = providerConfig
        self.privateKeyPath = privateKeyPath
    }
}
