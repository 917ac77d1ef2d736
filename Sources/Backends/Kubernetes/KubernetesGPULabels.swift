import Foundation

/// GPU node-label schemes of reference 6.1 and how a requested accelerator maps to node
/// affinity. Detection reads the labels of the context's nodes: the first scheme whose key
/// appears on a node wins. A cluster whose GPU nodes carry no accelerator-type label (only
/// `nvidia.com/gpu.present=true`, as the testbed's) gets no affinity: pods are then placed by
/// the `nvidia.com/gpu` resource request alone, and any accelerator name is accepted.
package enum KubernetesGPULabels {
    /// Accelerator-type label keys, in detection order.
    package static let typeKeys = [
        "skypilot.co/accelerator",
        "gpu.nvidia.com/class",
        "cloud.google.com/gke-accelerator",
        "nvidia.com/gpu.product",
        "karpenter.k8s.aws/instance-gpu-name",
        "nebius.com/gpu-name",
    ]

    /// The extended resource carrying NVIDIA GPUs (the default).
    package static let gpuResource = "nvidia.com/gpu"
    /// Extended resources carrying accelerators (reference 6.1), in detection order.
    package static let resourceKeys = ["nvidia.com/gpu", "amd.com/gpu", "google.com/tpu"]

    /// The accelerator resource a node advertises (the first key with a positive count).
    package static func resourceKey(allocatable: [String: String]) -> String? {
        resourceKeys.first { (allocatable[$0].flatMap(KubernetesQuantity.parse) ?? 0) > 0 }
    }

    /// Sum of the accelerator resources in a requests / capacity map (a pod or node uses one).
    package static func count(_ resources: [String: String]) -> Double {
        resourceKeys.reduce(0) { $0 + (resources[$1].flatMap(KubernetesQuantity.parse) ?? 0) }
    }

    /// The type-label key used on `nodes`, or nil when none carries one.
    package static func detectKey(nodes: [[String: String]]) -> String? {
        typeKeys.first { key in nodes.contains { $0[key] != nil } }
    }

    /// Whether a node label value names the accelerator (`NVIDIA-H100-80GB-HBM3`, `h100`,
    /// `nvidia-tesla-h100` all match `H100`).
    package static func value(_ value: String, matches accelerator: String) -> Bool {
        let v = value.lowercased().replacingOccurrences(of: "_", with: "-")
        let a = accelerator.lowercased()
        if v == a { return true }
        return v.split(separator: "-").contains { $0 == a } || v.hasSuffix(a)
    }

    /// The accelerator name a node offers (its type label), or nil when it has none.
    package static func acceleratorName(labels: [String: String], key: String?) -> String? {
        guard let key, let value = labels[key] else { return nil }
        return value
    }

    /// Accelerator names recognised inside label values (longest first, so `A100-80GB`
    /// wins over `A100`).
    static let knownNames = [
        "A100-80GB", "H100-MEGA", "RTX6000", "RTXPRO6000", "GH200", "H200", "H100", "B200", "B300",
        "A100", "A10G", "A10", "A40", "L40S", "L40", "L4", "T4", "V100", "P100", "P4", "K80",
        "A6000", "A5000", "A4000", "MI300X", "MI250X", "MI210",
    ]

    /// The name `sky gpus list` shows for a label value: a known accelerator found in it
    /// (`NVIDIA-Tesla-T4` → `T4`, `NVIDIA-A100-SXM4-80GB` → `A100-80GB`), else the value.
    package static func displayName(_ value: String) -> String {
        let upper = value.uppercased().replacingOccurrences(of: "_", with: "-")
        if upper.contains("A100"), upper.contains("80GB") { return "A100-80GB" }
        let tokens = Set(upper.split(separator: "-").map(String.init))
        for name in knownNames where tokens.contains(name) || upper == name {
            return name
        }
        return value
    }

    /// The label values of `key` on `nodes` matching `accelerator` (sorted, unique).
    package static func matchingValues(
        key: String, accelerator: String, nodes: [[String: String]]
    ) -> [String] {
        Array(Set(nodes.compactMap { $0[key] }.filter { value($0, matches: accelerator) }))
            .sorted()
    }
}
