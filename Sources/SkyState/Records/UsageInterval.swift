import Foundation

/// A span of time during which a cluster lifetime (`clusterHash`) was billed.
/// The store opens and closes intervals itself as the cluster's status changes.
package struct UsageInterval: Codable, Sendable, Equatable {
    package var id: Int64?
    package var cluster: String
    package var clusterHash: String
    package var start: Date
    /// nil while the interval is still open.
    package var end: Date?
    /// Price of one node per hour in USD.
    package var hourlyCost: Double
    package var numNodes: Int
    package var resourcesString: String
    package var userName: String
    package var userHash: String
    package var workspace: String
    package var cloud: String?
    package var region: String?

    package init(
        id: Int64? = nil, cluster: String, clusterHash: String, start: Date, end: Date? = nil,
        hourlyCost: Double, numNodes: Int, resourcesString: String, userName: String = "",
        userHash: String = "", workspace: String = "default", cloud: String? = nil,
        region: String? = nil
    ) {
        self.id = id
        self.cluster = cluster
        self.clusterHash = clusterHash
        self.start = start
        self.end = end
        self.hourlyCost = hourlyCost
        self.numNodes = numNodes
        self.resourcesString = resourcesString
        self.userName = userName
        self.userHash = userHash
        self.workspace = workspace
        self.cloud = cloud
        self.region = region
    }

    /// The interval as it appears in a record for `cluster` starting at `start`.
    package init(of cluster: ClusterRecord, start: Date) {
        self.init(
            cluster: cluster.name, clusterHash: cluster.clusterHash, start: start,
            hourlyCost: cluster.hourlyCost, numNodes: cluster.numNodes,
            resourcesString: cluster.resourcesString, userName: cluster.userName,
            userHash: cluster.userHash, workspace: cluster.workspace, cloud: cluster.cloud,
            region: cluster.region)
    }

    /// Seconds billed, counting an open interval up to `now`.
    package func duration(now: Date) -> TimeInterval {
        max(0, (end ?? now).timeIntervalSince(start))
    }

    /// Cost in USD: duration in hours × hourly cost × nodes.
    package func cost(now: Date) -> Double {
        duration(now: now) / 3600 * hourlyCost * Double(numNodes)
    }
}
