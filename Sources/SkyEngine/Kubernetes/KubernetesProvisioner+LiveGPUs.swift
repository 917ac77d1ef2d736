import SkyKubernetes
import SkyProvision

/// `sky gpus list --infra k8s[/<context>]`: per context and GPU type, the GPUs of the nodes
/// (capacity) and those free now (allocatable minus the requests of the pods bound there).
/// The type is the node's accelerator label (the detected scheme of reference 6.1) shown by
/// its canonical name; GPU nodes without such a label are listed as `nvidia.com/gpu`.
extension KubernetesProvisioner: LiveGPUInventory {
    package func liveGPUs() async throws -> [LiveGPUAvailability] {
        var out: [LiveGPUAvailability] = []
        for context in try await contextsToCheck() {
            let nodes = try await KubernetesInventory(kubectl: kubectl(context: context)).nodes()
            let key = KubernetesGPULabels.detectKey(nodes: nodes.map(\.labels))
            var order: [String] = []
            var byType: [String: (free: Double, total: Double, perNode: Double)] = [:]
            for node in nodes where node.gpuCapacity > 0 {
                let type =
                    KubernetesGPULabels.acceleratorName(labels: node.labels, key: key)
                    .map(KubernetesGPULabels.displayName)
                    ?? node.gpuResource ?? KubernetesGPULabels.gpuResource
                if byType[type] == nil { order.append(type) }
                var entry = byType[type] ?? (0, 0, 0)
                entry.free += max(0, node.gpus)
                entry.total += node.gpuCapacity
                entry.perNode = max(entry.perNode, node.gpuCapacity)
                byType[type] = entry
            }
            for type in order {
                guard let entry = byType[type] else { continue }
                out.append(
                    LiveGPUAvailability(
                        cloud: name, region: context, zone: nil, accelerator: type,
                        perNode: LiveGPUAvailability.requestable(upTo: Int(entry.perNode)),
                        free: Int(entry.free), total: Int(entry.total)))
            }
        }
        return out
    }
}
