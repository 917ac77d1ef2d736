import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import SkyState

/// `sky stop`, `sky start`, `sky down`, `sky autostop`. Each cluster is handled under its lock;
/// an operation the backend does not support is refused with a message naming the backend.
extension SkyEngine {
    /// Records of the named clusters (globs allowed), or all with `all`.
    package func resolveClusters(_ patterns: [String], all: Bool) async throws -> [ClusterRecord] {
        let records = try await SQLiteStateStore(home: home).clusters()
        if all { return records }
        var out: [ClusterRecord] = []
        for pattern in patterns {
            let found = records.filter { Self.matches($0.name, [pattern]) }
            guard !found.isEmpty else { throw EngineError.clusterNotFound(pattern) }
            for record in found where !out.contains(where: { $0.name == record.name }) {
                out.append(record)
            }
        }
        return out
    }

    package func stop(_ name: String, progress: @Sendable (String) -> Void = { _ in }) async throws
    {
        let backends = await backends()
        try await ClusterLock.with(home: home, cluster: name) {
            let (record, handle, provisioner) = try await lookup(name, backends)
            guard provisioner.supports(.stop) else {
                throw EngineError.unsupported(
                    cluster: name, backend: handle.cloud, operation: "stop")
            }
            if record.status == .stopped { return }
            progress("Stopping cluster '\(name)' ...")
            try await provisioner.stopInstances(handle.locator(cluster: name), workerOnly: false)
            try await backends.store.updateClusterStatus(named: name, to: .stopped)
        }
    }

    package func start(
        _ name: String, options: LaunchOptions = LaunchOptions(), force: Bool = false,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws {
        let backends = await backends()
        try await ClusterLock.with(home: home, cluster: name) {
            let (record, handle, provisioner) = try await lookup(name, backends)
            guard provisioner.supports(.stop) else {
                throw EngineError.unsupported(
                    cluster: name, backend: handle.cloud, operation: "start")
            }
            if record.status == .up, !force { return }
            progress("Starting cluster '\(name)' ...")
            let loop = FailoverLoop(registry: backends.registry, retryDelay: options.retryDelay)
            let me = user
            let outcome = try await ProvisionProgress.$current.withValue(
                ProvisionProgress(progress)
            ) {
                try await loop.provision(
                    FailoverLoop.Request(
                        clusterName: name, userName: me.name, userHash: me.hash,
                        count: record.numNodes, existing: true,
                        retryUntilUp: options.retryUntilUp),
                    candidates: [handle.offering])
            }
            let runners = backends.runners(provisioner, info: outcome.info)
            guard let head = runners.first else { throw EngineError.clusterNotFound(name) }
            var spec =
                handle.spec
                ?? NodeAccess(skyHome: home, userHome: userHome).spec(
                    name: name, handle: handle, info: outcome.info, task: Task(), autostop: nil)
            if options.idleMinutes != nil || options.down {
                spec.autostop = options.autostop(Task())
            }
            try await makeRuntime().start(head: head, spec: spec)
            var updated = handle
            updated.info = outcome.info
            updated.info?.providerConfig["clusterName"] = name
            updated.spec = spec
            let encoded = updated.encoded()
            let autostop = spec.autostop
            try await backends.store.updateCluster(named: name) { record in
                record.handle = encoded
                record.status = .up
                record.autostopMinutes = autostop?.idleMinutes ?? -1
                record.toDown = autostop?.down ?? false
            }
        }
    }

    /// Terminates the cluster and removes its record. With `purge`, backend errors are
    /// ignored and the record is removed anyway.
    package func down(
        _ name: String, purge: Bool = false, progress: @Sendable (String) -> Void = { _ in }
    ) async throws {
        let backends = await backends()
        try await ClusterLock.with(home: home, cluster: name) {
            guard let record = try await backends.store.cluster(named: name) else {
                throw EngineError.clusterNotFound(name)
            }
            progress("Terminating cluster '\(name)' ...")
            try await terminateNodes(
                name: name, handle: ClusterHandle.decode(record.handle), backends: backends,
                purge: purge)
            SSHConfigInclude(skyHome: home, userHome: userHome).remove(cluster: name)
            try await backends.store.deleteCluster(named: name)
        }
    }

    /// Sets (or with `idleMinutes == nil`, cancels) autostop in the state and in the head's
    /// cluster spec.
    package func autostop(
        _ name: String, idleMinutes: Int?, down: Bool = false, waitFor: String? = nil
    ) async throws {
        let backends = await backends()
        try await ClusterLock.with(home: home, cluster: name) {
            let (record, handle, provisioner) = try await lookup(name, backends)
            if idleMinutes != nil, !down, !provisioner.supports(.stop) {
                throw EngineError.unsupported(
                    cluster: name, backend: handle.cloud,
                    operation: "autostop")
            }
            guard record.status == .up, let info = handle.info, var spec = handle.spec else {
                throw EngineError.wrongStatus(
                    cluster: name, status: record.status.rawValue, operation: "set autostop on")
            }
            spec.autostop = idleMinutes.map {
                ClusterSpec.AutostopSpec(
                    idleMinutes: $0, down: down, waitFor: waitFor ?? "jobs_and_ssh")
            }
            guard let head = backends.runners(provisioner, info: info).first else {
                throw EngineError.clusterNotFound(name)
            }
            try await makeRuntime().writeClusterSpec(head: head, spec: spec)
            var updated = handle
            updated.spec = spec
            let encoded = updated.encoded()
            let minutes = idleMinutes ?? -1
            try await backends.store.updateCluster(named: name) { record in
                record.handle = encoded
                record.autostopMinutes = minutes
                record.toDown = minutes >= 0 && down
            }
        }
    }

    func lookup(_ name: String, _ backends: EngineBackends) async throws
        -> (ClusterRecord, ClusterHandle, any Provisioner)
    {
        guard let record = try await backends.store.cluster(named: name) else {
            throw EngineError.clusterNotFound(name)
        }
        guard let handle = ClusterHandle.decode(record.handle),
            let provisioner = await backends.provisioner(handle.cloud)
        else {
            throw EngineError.wrongStatus(
                cluster: name, status: record.status.rawValue, operation: "change")
        }
        return (record, handle, provisioner)
    }
}
