import Foundation
import SkyCore
import SkyProvision
import SkyState

/// A cluster whose nodes are up (runtime not necessarily set up yet).
struct ProvisionedCluster: Sendable {
    var record: ClusterRecord
    var handle: ClusterHandle
    var provisioner: any Provisioner
    var info: ClusterInfo
    /// The cluster was already UP and `--fast` skipped provisioning.
    var skippedProvisioning: Bool
    var history: [FailoverAttempt]
}

extension SkyEngine {
    /// Finds or provisions the nodes of cluster `name` for `task` (call with the cluster lock
    /// held). A new cluster is recorded INIT before anything is created, so an interrupted
    /// launch leaves a record that `sky down` / a relaunch cleans up.
    func provisionCluster(
        name: String, task: Task, options: LaunchOptions, backends: EngineBackends,
        output: LaunchOutput
    ) async throws -> ProvisionedCluster {
        let store = backends.store
        // The config layers under the task's `config:` (an invalid file stops here, first).
        let taskConfig = try layeredConfig(task: task.config)
        var existing = try await store.cluster(named: name)
        var existingHandle = ClusterHandle.decode(existing?.handle)
        if let record = existing, record.status == .initializing {
            // Abnormal / interrupted: tear down whatever it got and start fresh.
            output.progress("Cluster '\(name)' is in INIT; cleaning it up before relaunching.")
            try await terminateNodes(
                name: name, handle: existingHandle, backends: backends, purge: true)
            try await store.deleteCluster(named: name)
            existing = nil
            existingHandle = nil
        }
        if let record = existing, task.numNodes > record.numNodes {
            throw EngineError.incompatibleCluster(
                cluster: name,
                reason: "it has \(record.numNodes) node(s) and the task needs \(task.numNodes)")
        }
        if let record = existing, let handle = existingHandle, let info = handle.info,
            record.status == .up, options.fast,
            let provisioner = await backends.provisioner(handle.cloud)
        {
            return ProvisionedCluster(
                record: record, handle: handle, provisioner: provisioner, info: info,
                skippedProvisioning: true, history: [])
        }

        let me = user
        var record =
            existing
            ?? ClusterRecord(
                name: name, status: .initializing, lastUse: options.commandLine,
                userName: me.name, userHash: me.hash, clusterHash: UUID().uuidString.lowercased(),
                numNodes: task.numNodes, lastCreationCommand: options.commandLine)
        if existing == nil { record = try await store.upsertCluster(record) }

        let candidates: [LaunchCandidates.Ranked]
        if let handle = existingHandle {
            candidates = [(handle.offering, task.resources.first ?? Resources())]
        } else {
            output.progress("Planning resources ...")
            do {
                candidates = try await LaunchCandidates(backends: backends, engine: self).rank(task)
            } catch {
                _ = try? await store.deleteCluster(named: name)
                throw error
            }
        }
        let resources = task.resources.first ?? Resources()
        let previous = existingHandle
        let request = FailoverLoop.Request(
            clusterName: name, userName: me.name, userHash: me.hash,
            count: existing?.numNodes ?? task.numNodes, useSpot: resources.useSpot,
            ports: resources.ports, labels: resources.labels, existing: existing != nil,
            retryUntilUp: options.retryUntilUp, resources: resources,
            taskConfig: taskConfig,
            candidateResources: Dictionary(
                candidates.map { ($0.offering, $0.resources) }, uniquingKeysWith: { a, _ in a }))
        let loop = FailoverLoop(
            registry: backends.registry, retryDelay: options.retryDelay,
            willRun: { config in
                // Record where the nodes are about to be created, so a crash leaks nothing
                // that `sky status -r` / `sky down` cannot find.
                let handle = ClusterHandle(
                    cloud: config.offering.cloud, region: config.region, zone: config.zone,
                    clusterNameOnCloud: config.clusterNameOnCloud, offering: config.offering,
                    numNodes: config.count, info: previous?.info, spec: previous?.spec)
                _ = try? await store.updateCluster(named: name) { record in
                    record.handle = handle.encoded()
                    record.cloud = config.offering.cloud
                    record.region = config.region
                    record.zone = config.zone
                    record.clusterNameOnCloud = config.clusterNameOnCloud
                }
            })
        let outcome: FailoverLoop.Outcome
        do {
            outcome = try await ProvisionProgress.$current.withValue(
                ProvisionProgress(output.progress)
            ) {
                try await loop.provision(request, candidates: candidates.map(\.offering))
            }
        } catch {
            if existing == nil { _ = try? await store.deleteCluster(named: name) }
            throw error
        }
        var handle = ClusterHandle(
            cloud: outcome.offering.cloud, region: outcome.config.region,
            zone: outcome.config.zone, clusterNameOnCloud: outcome.config.clusterNameOnCloud,
            offering: outcome.offering, numNodes: outcome.config.count, info: outcome.info,
            spec: existingHandle?.spec)
        handle.info?.providerConfig["clusterName"] = name
        handle.ports = outcome.config.ports
        let offering = outcome.offering
        let encoded = handle.encoded()
        let updated = try await store.updateCluster(named: name) { record in
            record.handle = encoded
            record.cloud = offering.cloud
            record.region = outcome.config.region
            record.zone = outcome.config.zone
            record.numNodes = outcome.config.count
            record.cpus = offering.cpus
            record.memory = offering.memoryGB
            record.accelerators =
                offering.acceleratorName.map { [$0: offering.acceleratorCount] } ?? [:]
            record.resourcesString = Self.resourcesString(offering, nodes: outcome.config.count)
            record.hourlyCost = offering.price
            record.clusterNameOnCloud = outcome.config.clusterNameOnCloud
            record.labels = resources.labels
            record.lastUse = options.commandLine
        }
        guard let updated else { throw EngineError.clusterNotFound(name) }
        return ProvisionedCluster(
            record: updated, handle: handle, provisioner: outcome.provisioner, info: outcome.info,
            skippedProvisioning: false, history: outcome.history)
    }

    /// `2x SSH(2CPU--4GB, {'A100': 1})`, as SkyPilot prints resources.
    static func resourcesString(_ offering: Offering, nodes: Int) -> String {
        let display = ClusterView.displayName(offering.cloud)
        var inner = offering.instanceType
        if let acc = offering.acceleratorName, !offering.instanceType.contains(acc) {
            let count = offering.acceleratorCount
            let shown = count == count.rounded() ? String(Int(count)) : String(count)
            inner += ", {'\(acc)': \(shown)}"
        }
        return "\(nodes)x \(display)(\(inner))"
    }

    /// Terminates a cluster's nodes through its backend. With `purge`, errors are ignored.
    func terminateNodes(
        name: String, handle: ClusterHandle?, backends: EngineBackends, purge: Bool
    ) async throws {
        guard let handle else {
            // Nothing was created yet (no handle); release any host leases just in case.
            _ = try? await backends.store.releaseHosts(cluster: name)
            return
        }
        guard let provisioner = await backends.provisioner(handle.cloud) else {
            if purge { return }
            throw EngineError.unsupported(
                cluster: name, backend: handle.cloud, operation: "tear down")
        }
        if let info = handle.info {
            await stopRuntime(provisioner, info: info, backends: backends)
        }
        do {
            try await provisioner.terminateInstances(
                handle.locator(cluster: name), workerOnly: false)
        } catch {
            if case .notFound = error { return }
            if !purge { throw error }
        }
        SSHConfigInclude(skyHome: home, userHome: userHome).remove(cluster: name)
    }
}
