/// Identifies one cluster on one backend, for every call after `runInstances`.
public struct ClusterLocator: Codable, Sendable, Hashable {
    public var clusterName: String
    public var clusterNameOnCloud: String
    public var region: String
    public var zone: String?
    public var providerConfig: [String: String]

    public init(
        clusterName: String, clusterNameOnCloud: String, region: String, zone: String? = nil,
        providerConfig: [String: String] = [:]
    ) {
        self.clusterName = clusterName
        self.clusterNameOnCloud = clusterNameOnCloud
        self.region = region
        self.zone = zone
        self.providerConfig = providerConfig
    }

    public init(_ config: ProvisionConfig) {
        self.init(
            clusterName: config.clusterName, clusterNameOnCloud: config.clusterNameOnCloud,
            region: config.region, zone: config.zone, providerConfig: config.providerConfig)
    }
}
