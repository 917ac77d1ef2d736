import Foundation

/// The client-side state of Sky: clusters, their history and cost, requests, storage,
/// `sky check` results, SSH pool host leases and a small key-value table.
///
/// Implementations are safe to use from several tasks and several OS processes at once;
/// every method that changes more than one row does so in one transaction.
package protocol StateStore: Sendable {
    // MARK: Clusters

    /// Inserts or replaces the record named `record.name`; sets `updatedAt`.
    /// A status change records a `status_change` event and opens or closes usage intervals.
    @discardableResult
    func upsertCluster(_ record: ClusterRecord) async throws -> ClusterRecord
    func cluster(named name: String) async throws -> ClusterRecord?
    /// All clusters, most recently launched first.
    func clusters() async throws -> [ClusterRecord]
    /// Atomically reads, changes and writes one record (no lost update between processes).
    /// Returns the new record, or nil when no cluster has that name.
    @discardableResult
    func updateCluster(
        named name: String, _ change: @escaping @Sendable (inout ClusterRecord) -> Void
    ) async throws -> ClusterRecord?
    /// Sets the status; returns the new record, or nil when no cluster has that name.
    @discardableResult
    func updateClusterStatus(named name: String, to status: ClusterStatus) async throws
        -> ClusterRecord?
    /// Removes the record (the cluster is terminated): closes its usage interval and
    /// releases its SSH pool hosts in the same transaction. Returns false if there was none.
    @discardableResult
    func deleteCluster(named name: String) async throws -> Bool

    // MARK: Events and cost

    @discardableResult
    func addEvent(_ event: ClusterEvent) async throws -> ClusterEvent
    /// Events of `cluster` (all clusters when nil), newest first.
    func events(cluster: String?, limit: Int?) async throws -> [ClusterEvent]
    /// Usage intervals of one cluster lifetime, oldest first.
    func usageIntervals(clusterHash: String) async throws -> [UsageInterval]
    /// One row per cluster lifetime that is still billed or was billed within the last
    /// `days` days (terminated ones included); all users when `userHash` is nil.
    func costReport(days: Int, userHash: String?) async throws -> [CostReportRow]

    // MARK: Requests

    /// Stores a new request; throws if the id exists. Returns it as stored.
    @discardableResult
    func createRequest(_ request: RequestRecord) async throws -> RequestRecord
    /// Atomically changes one request; returns nil when there is none with that id.
    @discardableResult
    func updateRequest(
        id: String, _ change: @escaping @Sendable (inout RequestRecord) -> Void
    ) async throws -> RequestRecord?
    func request(id: String) async throws -> RequestRecord?
    /// The request whose id starts with `prefix`; throws when several match.
    func request(idPrefix prefix: String) async throws -> RequestRecord?
    /// Requests, newest first.
    func requests(matching filter: RequestFilter) async throws -> [RequestRecord]
    /// Deletes finished requests that finished before `date`; returns how many.
    @discardableResult
    func deleteRequests(finishedBefore date: Date) async throws -> Int

    // MARK: Storage

    @discardableResult
    func upsertStorage(_ record: StorageRecord) async throws -> StorageRecord
    func storage(named name: String) async throws -> StorageRecord?
    func storages() async throws -> [StorageRecord]
    @discardableResult
    func updateStorageStatus(named name: String, to status: StorageStatus) async throws
        -> StorageRecord?
    @discardableResult
    func deleteStorage(named name: String) async throws -> Bool

    // MARK: sky check cache

    /// Replaces the cached results of the backends in `results` (others are kept).
    func saveCheckResults(_ results: [CheckResult]) async throws
    func checkResults(workspace: String) async throws -> [CheckResult]
    /// Backends with `capability` enabled in `workspace`, sorted by name.
    func enabledClouds(workspace: String, capability: String) async throws -> [String]

    // MARK: SSH node pool leases

    /// Claims `count` hosts of `pool` for `cluster`, taking free hosts in `candidates` order,
    /// in one write transaction. Hosts the cluster already holds in the pool count toward
    /// `count` and come first. Returns the cluster's hosts (head first); throws
    /// `StateError.insufficientHosts` and claims nothing when too few are free.
    func claimHosts(pool: String, candidates: [String], count: Int, cluster: String)
        async throws -> [String]
    /// Releases every host `cluster` holds; returns how many.
    @discardableResult
    func releaseHosts(cluster: String) async throws -> Int
    func leases(pool: String) async throws -> [HostLease]
    /// The hosts `cluster` holds, head first.
    func hosts(of cluster: String) async throws -> [HostLease]

    // MARK: Key-value (JSON text values)

    func setValue(_ json: String, namespace: String, key: String) async throws
    /// Stores the value only if the key is absent; returns whether it was stored.
    func insertValueIfAbsent(_ json: String, namespace: String, key: String) async throws -> Bool
    func value(namespace: String, key: String) async throws -> String?
    func values(namespace: String) async throws -> [String: String]
    @discardableResult
    func deleteValue(namespace: String, key: String) async throws -> Bool
}

extension StateStore {
    /// Backends with compute enabled in the default workspace.
    package func enabledClouds() async throws -> [String] {
        try await enabledClouds(workspace: "default", capability: "compute")
    }

    /// Events of one cluster, newest first.
    package func events(cluster: String) async throws -> [ClusterEvent] {
        try await events(cluster: cluster, limit: nil)
    }

    /// Marks a request finished with `status`, its result and error JSON text.
    @discardableResult
    package func finishRequest(
        id: String, status: RequestStatus, result: String? = nil, error: String? = nil,
        at date: Date = Date()
    ) async throws -> RequestRecord? {
        try await updateRequest(id: id) { request in
            request.status = status
            request.result = result
            request.error = error
            request.finishedAt = date
        }
    }

    /// Stores an Encodable value as JSON text.
    package func setCodable(_ value: some Encodable, namespace: String, key: String)
        async throws
    {
        let data = try JSONEncoder().encode(value)
        try await setValue(String(decoding: data, as: UTF8.self), namespace: namespace, key: key)
    }

    /// Reads a value stored with `setCodable`, nil when absent.
    package func codable<T: Decodable>(_ type: T.Type, namespace: String, key: String)
        async throws -> T?
    {
        guard let text = try await value(namespace: namespace, key: key) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
