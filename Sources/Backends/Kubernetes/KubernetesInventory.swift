import SkyCore

/// Live inventory of one context for the optimizer: per node, allocatable minus the requests
/// of the non-finished pods bound there; priced at $0 (reference 6.1). The offered shape is
/// the request (defaults: 2 vCPUs and 1 GB per vCPU; with GPUs 4 vCPUs and 4 GB per vCPU),
/// `available` the number of such pods that fit now.
package struct KubernetesInventory: Sendable {
    package let kubectl: Kubectl

    package init(kubectl: Kubectl) { self.kubectl = kubectl }

    /// One node's free resources.
    package struct NodeFree: Sendable, Hashable {
        package var name: String
        package var labels: [String: String]
        package var cpus: Double
        package var memoryGB: Double
        package var gpus: Double
        package var gpuCapacity: Double
        /// `nvidia.com/gpu`, `amd.com/gpu` or `google.com/tpu`; nil without accelerators.
        package var gpuResource: String? = nil
    }

    package func nodes() async throws(KubernetesError) -> [NodeFree] {
        let nodes = try await kubectl.items(["get", "nodes"])
        let pods = try await kubectl.items([
            "get", "pods", "--all-namespaces",
            "--field-selector", "status.phase!=Succeeded,status.phase!=Failed",
        ])
        var used: [String: (cpu: Double, mem: Double, gpu: Double)] = [:]
        for pod in pods {
            guard let spec = pod["spec"] as? [String: Any], let node = spec["nodeName"] as? String
            else { continue }
            let containers = spec["containers"] as? [[String: Any]] ?? []
            var total = used[node] ?? (0, 0, 0)
            for container in containers {
                let requests =
                    (container["resources"] as? [String: Any])?["requests"] as? [String: String]
                    ?? [:]
                total.cpu += requests["cpu"].flatMap(KubernetesQuantity.parse) ?? 0
                total.mem += requests["memory"].flatMap(KubernetesQuantity.parse) ?? 0
                total.gpu += KubernetesGPULabels.count(requests)
            }
            used[node] = total
        }
        return nodes.compactMap { node in
            let metadata = node["metadata"] as? [String: Any] ?? [:]
            guard let name = metadata["name"] as? String else { return nil }
            let spec = node["spec"] as? [String: Any] ?? [:]
            if spec["unschedulable"] as? Bool == true { return nil }
            let status = node["status"] as? [String: Any] ?? [:]
            let allocatable = status["allocatable"] as? [String: String] ?? [:]
            let u = used[name] ?? (0, 0, 0)
            let gpuCapacity = KubernetesGPULabels.count(allocatable)
            return NodeFree(
                name: name, labels: metadata["labels"] as? [String: String] ?? [:],
                cpus: (allocatable["cpu"].flatMap(KubernetesQuantity.parse) ?? 0) - u.cpu,
                memoryGB: KubernetesQuantity.gigabytes(
                    (allocatable["memory"].flatMap(KubernetesQuantity.parse) ?? 0) - u.mem),
                gpus: gpuCapacity - u.gpu, gpuCapacity: gpuCapacity,
                gpuResource: KubernetesGPULabels.resourceKey(allocatable: allocatable))
        }
    }

    package func offerings(for resources: Resources, region: String) async throws -> [Offering] {
        let nodes = try await nodes()
        let gpus = resources.accelerator?.count ?? 0
        let cpus = resources.cpus?.value ?? (gpus > 0 ? 4 : 2)
        let memory = resources.memory?.value ?? cpus * (gpus > 0 ? 4 : 1)
        let key = KubernetesGPULabels.detectKey(nodes: nodes.map(\.labels))
        var available = 0
        var anyCandidate = false
        for node in nodes {
            if gpus > 0 {
                // A GPU node too small for the request still makes the context a candidate
                // (with `available` 0): trying it gives the scheduler's own message at once.
                guard node.gpuCapacity > 0, let accelerator = resources.accelerator else {
                    continue
                }
                if let key {
                    guard let value = node.labels[key],
                        KubernetesGPULabels.value(value, matches: accelerator.name)
                    else { continue }
                }
            }
            anyCandidate = true
            var fit = min(
                (node.cpus / cpus).rounded(.down), (node.memoryGB / memory).rounded(.down))
            if gpus > 0 { fit = min(fit, (node.gpus / gpus).rounded(.down)) }
            available += max(0, Int(fit))
        }
        guard anyCandidate else { return [] }
        var type = "\(KubernetesPodSpec.quantity(cpus))CPU--\(KubernetesPodSpec.quantity(memory))GB"
        if let accelerator = resources.accelerator, gpus > 0 {
            type += "--\(accelerator.name):\(KubernetesPodSpec.quantity(gpus))"
        }
        return [
            Offering(
                cloud: KubernetesProvisioner.backendName, region: region, instanceType: type,
                cpus: cpus, memoryGB: memory,
                acceleratorName: gpus > 0 ? resources.accelerator?.name : nil,
                acceleratorCount: gpus, price: 0, available: available)
        ]
    }
}
