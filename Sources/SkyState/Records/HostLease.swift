import Foundation

/// A host of an SSH node pool held by a cluster. A host has at most one lease.
package struct HostLease: Codable, Sendable, Equatable {
    package var pool: String
    package var host: String
    package var cluster: String
    /// Position of the host within the cluster's claims (0 = head node).
    package var rank: Int
    package var claimedAt: Date

    package init(pool: String, host: String, cluster: String, rank: Int, claimedAt: Date) {
        self.pool = pool
        self.host = host
        self.cluster = cluster
        self.rank = rank
        self.claimedAt = claimedAt
    }
}
