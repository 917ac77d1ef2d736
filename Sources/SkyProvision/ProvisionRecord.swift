/// What `runInstances` did (reference 5.1).
public struct ProvisionRecord: Codable, Sendable, Hashable {
    public var provider: String
    public var region: String
    public var zone: String?
    public var clusterName: String
    public var headInstanceID: String
    public var resumedInstanceIDs: [String]
    public var createdInstanceIDs: [String]

    public init(
        provider: String, region: String, zone: String? = nil, clusterName: String,
        headInstanceID: String, resumedInstanceIDs: [String] = [],
        createdInstanceIDs: [String] = []
    ) {
        self.provider = provider
        self.region = region
        self.zone = zone
        self.clusterName = clusterName
        self.headInstanceID = headInstanceID
        self.resumedInstanceIDs = resumedInstanceIDs
        self.createdInstanceIDs = createdInstanceIDs
    }

    /// Whether this call created or resumed anything (a failed attempt then tears it down).
    public var changedAnything: Bool {
        !createdInstanceIDs.isEmpty || !resumedInstanceIDs.isEmpty
    }
}
