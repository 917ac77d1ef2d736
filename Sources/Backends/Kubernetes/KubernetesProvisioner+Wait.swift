import Foundation
import SkyCore
import SkyProvision

extension KubernetesProvisioner {
    /// Default provision timeout (reference 6.1): 10 s + 0.2 s per node, at most 60 s.
    package static func defaultTimeout(nodes: Int) -> Double {
        min(60, 10 + 0.2 * Double(nodes))
    }

    /// `.up`: polls the pods until all run. A pod the scheduler reports `Unschedulable` for
    /// lack of resources or a non-matching node fails at once as `.capacity` with the
    /// scheduler's message (failover without waiting out the timeout); other Pending pods are
    /// bounded by `provision_timeout`. `nil`: waits until every pod is gone.
    package func waitInstances(_ cluster: ClusterLocator, state: InstanceStatus?)
        async throws(ProvisionError)
    {
        let k = try await kubectl(for: cluster)
        let selector = KubernetesPodSpec.selector(cluster.clusterNameOnCloud)
        switch state {
        case nil:
            try await waitGone(k, selector: selector, timeout: 180)
        case .stopped:
            throw .unsupported("Kubernetes pods cannot be stopped; use 'sky down'.")
        case .up:
            try await waitRunning(k, selector: selector, cluster: cluster)
        case .initializing:
            return
        }
    }

    func waitRunning(_ k: Kubectl, selector: String, cluster: ClusterLocator)
        async throws(ProvisionError)
    {
        let start = Date()
        var timeout: Double?
        var scalingUp: Set<String> = []
        let place = "Kubernetes context \(k.context ?? "?") (namespace \(k.namespace ?? "default"))"
        while true {
            let pods = try await pods(k, selector: selector).filter { !$0.deleting }
            guard !pods.isEmpty else {
                throw .notFound("No pods of cluster '\(cluster.clusterName)' in \(place).")
            }
            if timeout == nil {
                timeout =
                    try settings(context: k.context, providerConfig: cluster.providerConfig)
                    .provisionTimeout ?? Self.defaultTimeout(nodes: pods.count)
            }
            let limit = timeout ?? Self.defaultTimeout(nodes: pods.count)
            for pod in pods {
                if pod.isUnfittable, !scalingUp.contains(pod.name) {
                    // A cluster autoscaler that has started adding a node: keep waiting
                    // (bounded by the timeout), as the pod will fit once the node joins.
                    if await triggeredScaleUp(k, pod: pod.name) {
                        scalingUp.insert(pod.name)
                        continue
                    }
                    throw .capacity(
                        "\(place) cannot place pod \(pod.name): \(pod.schedulerMessage ?? "Unschedulable")"
                    )
                }
                if pod.imageFailure {
                    throw .invalidConfig(
                        "Pod \(pod.name) in \(place) cannot pull its image (\(pod.waitingReason ?? "")): "
                            + "\(pod.waitingMessage ?? "no message"). Use an image the nodes can pull."
                    )
                }
                if pod.phase == "Failed" || pod.phase == "Succeeded" {
                    throw .internal(
                        "Pod \(pod.name) in \(place) exited (phase \(pod.phase)) while starting.")
                }
            }
            if pods.allSatisfy({ $0.phase == "Running" && $0.podIP != nil }) {
                try await prepareAccess(k, pods: pods, cluster: cluster)
                return
            }
            let waited = Date().timeIntervalSince(start)
            if limit >= 0, waited > limit {
                let pending = pods.filter { $0.phase != "Running" }.map { pod in
                    "\(pod.name): \(pod.schedulerMessage ?? pod.waitingReason ?? pod.phase)"
                }
                throw .capacity(
                    "Pods in \(place) were not running after \(Int(limit)) s "
                        + "(kubernetes.provision_timeout): \(pending.joined(separator: "; ")).")
            }
            try? await _Concurrency.Task.sleep(for: .milliseconds(200))
        }
    }

    /// Whether a cluster autoscaler reported `TriggeredScaleUp` for the pod.
    func triggeredScaleUp(_ k: Kubectl, pod: String) async -> Bool {
        let events = try? await k.items([
            "get", "events", "--field-selector",
            "involvedObject.kind=Pod,involvedObject.name=\(pod)",
        ])
        return (events ?? []).contains { $0["reason"] as? String == "TriggeredScaleUp" }
    }

    package func terminateInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        let k = try await kubectl(for: cluster)
        var selector = KubernetesPodSpec.selector(cluster.clusterNameOnCloud)
        if workerOnly { selector += ",ray-node-type=worker" }
        // Services (and the Ingress of the `ingress` ports mode) go with the head pod (owner
        // reference); deleting them here means none is left when this returns (the garbage
        // collector takes a few seconds). Ingresses only in that mode: other clusters need no
        // permission on them.
        let ingress = (try? portMode(cluster, k)) == "ingress"
        let others = ingress ? "services,\(KubernetesIngress.resource)" : "services"
        let kinds = workerOnly ? "pods" : "pods,\(others)"
        do {
            _ = try await k.checked([
                "delete", kinds, "-l", selector, "--wait=false", "--ignore-not-found",
            ])
        } catch {
            throw Self.mapped(error, context: k.context)
        }
        try await waitGone(k, selector: selector, timeout: 180, others: others)
        if !workerOnly, let known = knownHostsFile(clusterNameOnCloud: cluster.clusterNameOnCloud) {
            try? FileManager.default.removeItem(atPath: known)
        }
    }

    /// Waits until no pod (and none of the `others` kinds) matches `selector`.
    func waitGone(_ k: Kubectl, selector: String, timeout: Double, others: String = "services")
        async throws(ProvisionError)
    {
        let start = Date()
        var forced: Set<String> = []
        while true {
            let left = try await pods(k, selector: selector)
            // Pods deleted before anything of them ran go at once (`--force`): the kubelet
            // removes what it set up for them (the sandbox, an image pull) on its own.
            let unstarted = left.filter { $0.isDeletedBeforeItRan && !forced.contains($0.name) }
            if !unstarted.isEmpty {
                let names = unstarted.map(\.name)
                _ = try? await k.checked(
                    ["delete", "pod"] + names + [
                        "--grace-period=0", "--force", "--wait=false", "--ignore-not-found",
                    ])
                forced.formUnion(names)
                continue
            }
            if left.isEmpty {
                let services = try? await k.checked(["get", others, "-l", selector, "-o", "name"])
                if (services ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    return
                }
            }
            if Date().timeIntervalSince(start) > timeout {
                throw .internal(
                    "Pods still present after \(Int(timeout)) s of deletion in Kubernetes context "
                        + "\(k.context ?? "?"): \(left.isEmpty ? "services" : left.map(\.name).joined(separator: ", "))."
                )
            }
            try? await _Concurrency.Task.sleep(for: .milliseconds(500))
        }
    }
}
