import Foundation

/// One row of `sky cost-report`: one lifetime of a cluster (one cluster hash).
package struct CostReportRow: Sendable, Equatable {
    package var name: String
    package var clusterHash: String
    /// Start of the first usage interval.
    package var launchedAt: Date
    /// Sum of the usage intervals, in seconds (an open interval counts up to now).
    package var duration: TimeInterval
    /// Sum over intervals of hours × hourly cost × nodes, in USD.
    package var totalCost: Double
    /// Hourly cost of one node in the latest interval.
    package var hourlyCost: Double
    package var numNodes: Int
    package var resourcesString: String
    /// The cluster's current status, or `TERMINATED` when no record of this lifetime exists.
    package var status: String
    package var userName: String
    package var userHash: String
    package var workspace: String
    package var cloud: String?
    package var region: String?

    package static let terminated = "TERMINATED"
}
