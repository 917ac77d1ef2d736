import Foundation
import Logging
import SkyCore
import SkyEngine
import SkyKubeAPI
import SkyState

/// Reconciles a SkyCluster: finalizer first; then launches the cluster through the engine
/// (in the background: the reconcile only starts it and polls), reports it through `/status`,
/// flags spec changes that would need a relaunch instead of acting on them, and tears the
/// cluster down before the resource goes.
struct SkyClusterReconciler: Reconciler {
    let context: OperatorContext
    var kind: String { "SkyCluster" }
    /// Annotation holding the hash of the task's resources + num_nodes the cluster was launched with.
    static let launchedSpecAnnotation = "sky.dev/launched-spec"

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard var cluster = context.clusters.object(.init(namespace: key.namespace, name: key.name))
        else {
            return .done
        }
        if cluster.metadata.isDeleting { return try await finalize(cluster) }
        if !cluster.metadata.hasFinalizer(SkyGroup.finalizer) {
            // Carry on with the updated object (no wait for the update's watch event).
            cluster = try await context.kube.addFinalizer(cluster, SkyGroup.finalizer)
        }
        let name = cluster.skyName
        var status = cluster.status ?? SkyCluster.Status()
        let generation = cluster.metadata.generation

        if await context.launches.isRunning(name) {
            if let handle = try await context.state.cluster(named: name)?.handle,
                handle != status.handle
            {
                status.handle = handle  // published early: a restart can find the nodes
                try await write(cluster, status)
            }
            return .requeue(after: .seconds(2))
        }
        if let outcome = await context.launches.takeOutcome(name) {
            switch outcome {
            case .succeeded(let hash):
                try await setLaunchedSpec(cluster, hash)
                await context.events.normal(cluster, reason: "Launched", "Cluster \(name) is UP")
            case .failed(let message, _):
                status.phase = SkyCluster.Phase.failed
                status.message = message
                status.observedGeneration = generation
                status.conditions.set(
                    Condition(
                        type: "Launched", status: false, reason: "LaunchFailed", message: message,
                        observedGeneration: generation))
                status.conditions.set(
                    Condition(
                        type: "Ready", status: false, reason: "LaunchFailed", message: message,
                        observedGeneration: generation))
                try await write(cluster, status)
                await context.events.warning(cluster, reason: "LaunchFailed", message)
                return .done
            }
        }

        let specHash = context.specHashes.hash(uid: cluster.metadata.uid, generation: generation) {
            Self.specHash(cluster.spec.task)
        }
        var record = try await context.state.cluster(named: name)
        if record == nil, let handle = status.handle {
            // Adopt only what the live object still says: the cache may lag behind a deletion
            // whose finalizer already tore these nodes down.
            let live = try await context.kube.get(
                SkyCluster.self, namespace: cluster.namespace, name: cluster.name)
            guard let live, live.metadata.uid == cluster.metadata.uid, !live.metadata.isDeleting,
                live.status?.handle == handle
            else { return .done }  // its update event brings the next pass
            if try await context.engine.adoptCluster(named: name, handle: handle, numNodes: 1) {
                context.logger.info(
                    "adopted cluster from status.handle", metadata: ["cluster": "\(name)"])
                record = try await context.state.cluster(named: name)
            }
        }
        if let record, record.status == .up {
            return try await observeUp(cluster, record: record, specHash: specHash, status: status)
        }
        // Idle clusters stop above: the task is only parsed when there is something to launch.
        let task: SkyCore.Task
        do {
            task = try await context.taskSource.load(
                task: cluster.spec.task, envFrom: cluster.spec.envFrom, namespace: key.namespace,
                origin: "skycluster \(key)",
                applied: cluster.metadata.annotations?[TaskSource.lastAppliedAnnotation])
        } catch let invalid as TaskSource.Invalid {
            status.phase = SkyCluster.Phase.failed
            status.message = invalid.description
            status.observedGeneration = generation
            status.conditions.set(
                Condition(
                    type: "Ready", status: false, reason: "InvalidTask",
                    message: invalid.description, observedGeneration: generation))
            if try await write(cluster, status) {
                await context.events.warning(cluster, reason: "InvalidTask", invalid.description)
            }
            return .done
        } catch let missing as TaskSource.MissingSecret {
            status.phase = SkyCluster.Phase.pending
            status.message = missing.description
            status.observedGeneration = generation
            status.conditions.set(
                Condition(
                    type: "Ready", status: false, reason: missing.reason,
                    message: missing.description, observedGeneration: generation))
            if try await write(cluster, status) {
                await context.events.warning(cluster, reason: missing.reason, missing.description)
            }
            return .backoff
        }
        if status.phase == SkyCluster.Phase.failed, status.observedGeneration == generation {
            return .done  // a failed launch is retried when the spec changes
        }
        await startLaunch(cluster, task: task, name: name, specHash: specHash)
        status.phase = SkyCluster.Phase.launching
        status.clusterName = name
        status.observedGeneration = generation
        status.message =
            record == nil
            ? "launching cluster \(name)"
            : "relaunching cluster \(name) (it was \(record?.status.rawValue ?? ""))"
        status.conditions.set(
            Condition(
                type: "Launched", status: false, reason: "Launching", message: status.message ?? "",
                observedGeneration: generation))
        status.conditions.set(
            Condition(
                type: "Ready", status: false, reason: "Launching", message: status.message ?? "",
                observedGeneration: generation))
        try await write(cluster, status)
        await context.events.normal(cluster, reason: "Launching", status.message ?? "")
        return .requeue(after: .seconds(2))
    }

    private func startLaunch(
        _ cluster: SkyCluster, task: SkyCore.Task, name: String, specHash: String
    ) async {
        let engine = context.engine
        let metrics = context.metrics
        let logger = context.logger
        let wake = context.wake
        let key = ObjectKey(cluster)
        let source = "skycluster \(key)"
        await context.launches.start(name) {
            do {
                logger.info("launching", metadata: ["cluster": "\(name)"])
                _ = try await engine.operatorLaunch(task, clusterName: name, source: source)
                metrics.launched(ok: true)
                return .succeeded(specHash: specHash)
            } catch {
                metrics.launched(ok: false)
                logger.warning(
                    "launch failed", metadata: ["cluster": "\(name)", "error": "\(error)"])
                return .failed(message: "\(error)", specHash: specHash)
            }
        } then: {
            await wake.cluster(key)
        }
    }

    /// The cluster is UP: report it; a changed resources / num_nodes is flagged, not acted on.
    private func observeUp(
        _ cluster: SkyCluster, record: ClusterRecord, specHash: String,
        status current: SkyCluster.Status
    ) async throws -> ReconcileResult {
        var status = current
        let generation = cluster.metadata.generation
        let launched = cluster.metadata.annotations?[Self.launchedSpecAnnotation]
        if launched == nil { try await setLaunchedSpec(cluster, specHash) }
        status.phase = SkyCluster.Phase.up
        status.observedGeneration = generation
        status.clusterName = record.name
        status.infra = [
            record.cloud, record.region.map { $0.hasPrefix("ssh-") ? String($0.dropFirst(4)) : $0 },
        ]
        .compactMap { $0 }.joined(separator: "/")
        status.resources = record.resourcesString
        status.nodes = record.numNodes
        status.handle = record.handle
        status.message = "cluster \(record.name) is UP"
        status.conditions.set(
            Condition(
                type: "Launched", status: true, reason: "Launched",
                message: "launched on \(status.infra ?? "")", observedGeneration: generation))
        status.conditions.set(
            Condition(
                type: "Ready", status: true, reason: "ClusterUp",
                message: "\(record.numNodes) node(s) up", observedGeneration: generation))
        if let launched, launched != specHash {
            let message =
                "spec.task resources or num_nodes changed since launch; the running cluster is left as is. Delete and re-create the SkyCluster to relaunch with the new resources."
            status.conditions.set(
                Condition(
                    type: "NeedsRelaunch", status: true, reason: "ResourcesChanged",
                    message: message, observedGeneration: generation))
            if try await write(cluster, status) {
                await context.events.warning(cluster, reason: "NeedsRelaunch", message)
            }
            return .done
        }
        status.conditions.set(
            Condition(
                type: "NeedsRelaunch", status: false, reason: "UpToDate",
                message: "the cluster matches spec.task", observedGeneration: generation))
        try await write(cluster, status)
        return .done
    }

    /// Tears the cluster down, forgets its handle, then removes the finalizer. Acts on the
    /// live object, never on the informer's copy: a pass queued while the previous one tore
    /// the cluster down (its own status write wakes it) can run before the cache has seen the
    /// deletion, and would otherwise adopt the torn-down cluster again from the stale
    /// `status.handle` (a record and host leases left behind, or a second teardown racing
    /// the resource's removal).
    private func finalize(_ cached: SkyCluster) async throws -> ReconcileResult {
        guard cached.metadata.hasFinalizer(SkyGroup.finalizer) else { return .done }
        guard
            let cluster = try await context.kube.get(
                SkyCluster.self, namespace: cached.namespace, name: cached.name),
            cluster.metadata.uid == cached.metadata.uid, cluster.metadata.isDeleting,
            cluster.metadata.hasFinalizer(SkyGroup.finalizer)
        else { return .done }
        let name = cluster.skyName
        var status = cluster.status ?? SkyCluster.Status()
        if status.phase != SkyCluster.Phase.terminating {
            status.phase = SkyCluster.Phase.terminating
            status.message = "tearing down cluster \(name)"
            try await write(cluster, status)
            await context.events.normal(
                cluster, reason: "Terminating", "Tearing down cluster \(name)")
        }
        // A launch in flight ends first (the teardown would race it otherwise); one that does
        // not stop in time is waited for on the next pass.
        guard await context.launches.cancel(name, timeout: .seconds(30)) else {
            throw OperatorError.launchStillRunning(name)
        }
        _ = await context.launches.takeOutcome(name)
        var record = try await context.state.cluster(named: name)
        if record == nil, let handle = status.handle {
            // Restarted with an empty state directory: the handle finds the nodes.
            if try await context.engine.adoptCluster(named: name, handle: handle, numNodes: 1) {
                record = try await context.state.cluster(named: name)
            }
        }
        if record != nil {
            do {
                let engine = context.engine
                try await Deadline.run("tearing down cluster \(name)", timeout: .seconds(1200)) {
                    try await engine.down(name)
                }
            } catch EngineError.clusterNotFound {
                // Gone meanwhile (another `sky down`): nothing left to tear down.
            }
            context.metrics.tornDown()
            context.logger.info("cluster torn down", metadata: ["cluster": "\(name)"])
        }
        // Forget the handle before the finalizer goes: nothing can adopt the nodes again.
        var after = status
        after.handle = nil
        after.message = "cluster \(name) terminated"
        try await write(cluster, after, from: status)
        await context.events.normal(cluster, reason: "TornDown", "Cluster \(name) terminated")
        try await context.kube.removeFinalizer(cluster, SkyGroup.finalizer)
        context.specHashes.forget(uid: cluster.metadata.uid)
        return .done
    }

    private func setLaunchedSpec(_ cluster: SkyCluster, _ hash: String) async throws {
        guard cluster.metadata.annotations?[Self.launchedSpecAnnotation] != hash else { return }
        try await context.kube.patch(
            SkyCluster.self, namespace: cluster.namespace, name: cluster.name,
            .merge(
                .object([
                    "metadata": .object([
                        "annotations": .object([Self.launchedSpecAnnotation: .string(hash)])
                    ])
                ])))
    }

    /// Writes the status when it changed (from `cluster.status`, or `from` when given: what an
    /// earlier write of this pass left); returns whether it did.
    @discardableResult
    private func write(
        _ cluster: SkyCluster, _ status: SkyCluster.Status, from: SkyCluster.Status? = nil
    ) async throws -> Bool {
        let current = from ?? cluster.status
        guard status != current else { return false }
        try await context.kube.replaceStatus(
            SkyCluster.self, namespace: cluster.namespace, name: cluster.name, from: current,
            to: status)
        return true
    }

    /// Hash of what a relaunch depends on (`resources`, `num_nodes`).
    static func specHash(_ task: KubeJSON?) -> String {
        let relevant = KubeJSON.object([
            "resources": task?["resources"] ?? .null, "num_nodes": task?["num_nodes"] ?? .null,
        ])
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in relevant.jsonText().utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

extension Optional where Wrapped == [Condition] {
    /// Conditions on an optional list (status.conditions starts absent).
    mutating func set(_ condition: Condition) {
        var list = self ?? []
        list.set(condition)
        self = list
    }
}
