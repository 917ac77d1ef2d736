import SkyProvision
import SkyState

/// SSH pool host leases kept in the state store (one transaction per claim).
struct StateLeaseStore: HostLeaseStore {
    let store: any StateStore

    func claimHosts(pool: String, candidates: [String], count: Int, cluster: String)
        async throws(ProvisionError) -> [String]
    {
        do {
            return try await store.claimHosts(
                pool: pool, candidates: candidates, count: count, cluster: cluster)
        } catch let error as StateError {
            if case .insufficientHosts = error { throw .capacity(error.description) }
            throw .internal(error.description)
        } catch {
            throw .internal("\(error)")
        }
    }

    func releaseHosts(cluster: String) async throws(ProvisionError) {
        try await ProvisionError.wrap { _ = try await store.releaseHosts(cluster: cluster) }
    }

    func hosts(of cluster: String) async throws(ProvisionError) -> [String] {
        try await ProvisionError.wrap { try await store.hosts(of: cluster).map(\.host) }
    }

    func leasedHosts(pool: String) async throws(ProvisionError) -> Set<String> {
        try await ProvisionError.wrap { Set(try await store.leases(pool: pool).map(\.host)) }
    }
}
