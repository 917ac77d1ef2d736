import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import SkyState

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `sky status`: the cached records (fast path: one SQLite read), or with `refresh` the
/// backends' view reconciled into the records.
extension SkyEngine {
    package func status(_ patterns: [String] = [], refresh: Bool = false) async throws
        -> [ClusterRecord]
    {
        let store = SQLiteStateStore(home: home)
        let records = try await store.clusters().filter { Self.matches($0.name, patterns) }
        guard refresh, !records.isEmpty else { return records }
        let backends = await backends()
        let refreshed = await withTaskGroup(of: (Int, ClusterRecord?).self) { group in
            for (index, record) in records.enumerated() {
                group.addTask {
                    (index, await self.refreshCluster(record, backends: backends))
                }
            }
            var out: [(Int, ClusterRecord?)] = []
            for await item in group { out.append(item) }
            return out.sorted { $0.0 < $1.0 }.compactMap(\.1)
        }
        return refreshed
    }

    /// Names match exactly or as shell globs (`sky status 'dev-*'`).
    static func matches(_ name: String, _ patterns: [String]) -> Bool {
        patterns.isEmpty || patterns.contains { fnmatch($0, name, 0) == 0 }
    }

    /// Queries the backend and reconciles: nodes gone → record removed; all up → UP; all
    /// stopped → STOPPED; anything else → INIT (abnormal). A launch in progress (its lock
    /// held) is left alone. Autostop that fired on the head is carried out here.
    func refreshCluster(_ record: ClusterRecord, backends: EngineBackends) async -> ClusterRecord? {
        guard let lock = try? ClusterLock.tryAcquire(home: home, cluster: record.name) else {
            return record
        }
        defer { withExtendedLifetime(lock) {} }
        let store = backends.store
        let name = record.name
        guard let handle = ClusterHandle.decode(record.handle),
            let provisioner = await backends.provisioner(handle.cloud)
        else {
            if record.status == .initializing, record.handle == nil {
                // The launch died before creating anything.
                _ = try? await store.deleteCluster(named: name)
                return nil
            }
            return record
        }
        let states: [InstanceState]
        do {
            states = try await provisioner.queryInstances(handle.locator(cluster: name))
        } catch {
            return record
        }
        let live = states.filter { $0.status != nil }
        if live.isEmpty {
            // Gone behind our back: release what is left (processes, leases) and forget it.
            try? await terminateNodes(name: name, handle: handle, backends: backends, purge: true)
            SSHConfigInclude(skyHome: home, userHome: userHome).remove(cluster: name)
            _ = try? await store.deleteCluster(named: name)
            return nil
        }
        var status: SkyState.ClusterStatus
        if live.count >= record.numNodes, live.allSatisfy({ $0.status == .up }) {
            status = record.everUp ? .up : .initializing
        } else if live.allSatisfy({ $0.status == .stopped }) {
            status = .stopped
        } else {
            status = .initializing
        }
        // Only a cluster with autostop set can have fired it (saves a round trip to the head).
        if status == .up, record.autostopMinutes >= 0,
            let fired = await autostopFired(handle, provisioner, backends)
        {
            return await carryOutAutostop(
                record, handle: handle, provisioner: provisioner, action: fired,
                backends: backends)
        }
        guard status != record.status else { return record }
        return (try? await store.updateClusterStatus(named: name, to: status)) ?? record
    }

    private func autostopFired(
        _ handle: ClusterHandle, _ provisioner: any Provisioner, _ backends: EngineBackends
    ) async -> String? {
        guard let info = handle.info, let head = backends.runners(provisioner, info: info).first,
            let runtime = try? makeRuntime(),
            let fired = try? await runtime.autostopFired(head: head)
        else { return nil }
        return fired.action
    }

    private func carryOutAutostop(
        _ record: ClusterRecord, handle: ClusterHandle, provisioner: any Provisioner,
        action: String, backends: EngineBackends
    ) async -> ClusterRecord? {
        let name = record.name
        if action == "down" || !provisioner.supports(.stop) {
            try? await terminateNodes(name: name, handle: handle, backends: backends, purge: true)
            _ = try? await backends.store.deleteCluster(named: name)
            return nil
        }
        do {
            try await provisioner.stopInstances(handle.locator(cluster: name), workerOnly: false)
        } catch {
            return record
        }
        return (try? await backends.store.updateClusterStatus(named: name, to: .stopped)) ?? record
    }

    /// The head node's address (`sky status --ip`).
    package func headIP(_ cluster: String) async throws -> String {
        let store = SQLiteStateStore(home: home)
        guard let record = try await store.cluster(named: cluster) else {
            throw EngineError.clusterNotFound(cluster)
        }
        guard let head = ClusterHandle.decode(record.handle)?.info?.head else {
            throw EngineError.wrongStatus(
                cluster: cluster, status: record.status.rawValue, operation: "show the IP of")
        }
        return head.reachableIP
    }

    /// Endpoints of the cluster's ports (`sky status --endpoints` / `--endpoint PORT`).
    package func endpoints(_ cluster: String, port: Int? = nil) async throws -> [String: [String]] {
        let backends = await backends()
        guard let record = try await backends.store.cluster(named: cluster) else {
            throw EngineError.clusterNotFound(cluster)
        }
        guard let handle = ClusterHandle.decode(record.handle), let info = handle.info,
            let provisioner = await backends.provisioner(handle.cloud)
        else {
            throw EngineError.wrongStatus(
                cluster: cluster, status: record.status.rawValue, operation: "show endpoints of")
        }
        let ports = port.map { [String($0)] } ?? handle.ports ?? []
        return try await provisioner.queryPorts(
            handle.locator(cluster: cluster), ports: ports, headIP: info.head?.reachableIP)
    }
}
