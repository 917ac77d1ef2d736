/// Where SSH pool host leases live (the engine implements it with SkyState). A host has at
/// most one lease; claims are atomic across processes.
public protocol HostLeaseStore: Sendable {
    /// Claims `count` free hosts of `pool` for `cluster`, in `candidates` order, keeping the
    /// hosts the cluster already holds first. Returns the cluster's hosts (head first); throws
    /// `.capacity` and claims nothing when too few are free.
    func claimHosts(pool: String, candidates: [String], count: Int, cluster: String)
        async throws(ProvisionError) -> [String]
    /// Releases every host of `cluster`.
    func releaseHosts(cluster: String) async throws(ProvisionError)
    /// Hosts `cluster` holds, head first.
    func hosts(of cluster: String) async throws(ProvisionError) -> [String]
    /// Hosts of `pool` held by any cluster.
    func leasedHosts(pool: String) async throws(ProvisionError) -> Set<String>
}
