import Foundation
import SkyProvision

/// Builds the pod manifest of one cluster node (reference 6.1): head `<name>-head`, workers
/// `<name>-worker<i>`, container `ray-node`, `restartPolicy: Never`, SkyPilot's labels plus
/// `sky.dev/*` and the user's, cpu/memory/GPU requests (limits carry the GPU key only),
/// `/dev/shm` as an emptyDir, and required node affinity when a GPU type label applies.
package struct KubernetesPodSpec: Sendable {
    package var clusterName: String
    package var clusterNameOnCloud: String
    package var user: String
    package var image: String
    package var cpus: Double
    package var memoryGB: Double
    package var gpus: Int
    /// `(label key, allowed values)` for required node affinity; nil = none.
    package var affinity: (key: String, values: [String])?
    package var userLabels: [String: String]
    /// The extended resource of the GPUs asked for (`nvidia.com/gpu`, `amd.com/gpu`, ...).
    package var gpuResource = KubernetesGPULabels.gpuResource
    /// `kubernetes.custom_metadata.annotations` (ours win on a clash).
    package var extraAnnotations: [String: String] = [:]

    package init(
        clusterName: String, clusterNameOnCloud: String, user: String, image: String,
        cpus: Double, memoryGB: Double, gpus: Int, affinity: (key: String, values: [String])?,
        userLabels: [String: String]
    ) {
        self.clusterName = clusterName
        self.clusterNameOnCloud = clusterNameOnCloud
        self.user = user
        self.image = image
        self.cpus = cpus
        self.memoryGB = memoryGB
        self.gpus = gpus
        self.affinity = affinity
        self.userLabels = userLabels
    }

    /// The container's command: sleeps until SIGTERM and exits at once on it (a bare
    /// `sleep infinity` as PID 1 ignores SIGTERM and makes every delete wait its grace period).
    package static let keepAlive = [
        "/bin/bash", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait",
    ]

    package static func podName(_ clusterNameOnCloud: String, index: Int) -> String {
        index == 0 ? "\(clusterNameOnCloud)-head" : "\(clusterNameOnCloud)-worker\(index)"
    }

    /// The label selector of every pod of the cluster.
    package static func selector(_ clusterNameOnCloud: String) -> String {
        "sky.dev/cluster=\(clusterNameOnCloud)"
    }

    /// Labels of the cluster's other objects (Services).
    package static func clusterLabels(_ clusterNameOnCloud: String) -> [String: String] {
        [
            "parent": "skypilot", "skypilot-cluster-name": clusterNameOnCloud,
            "sky.dev/cluster": clusterNameOnCloud,
        ]
    }

    package func labels(index: Int) -> [String: String] {
        let head = index == 0
        var labels = userLabels
        labels.merge([
            "parent": "skypilot",
            "skypilot-cluster": clusterNameOnCloud,
            "skypilot-cluster-name": clusterNameOnCloud,
            "skypilot-user": user,
            "ray-cluster-name": clusterNameOnCloud,
            "ray-node-type": head ? "head" : "worker",
            "skypilot-head-node": head ? "1" : "0",
            "component": head
                ? "\(clusterNameOnCloud)-head" : Self.podName(clusterNameOnCloud, index: index),
            "sky.dev/cluster": clusterNameOnCloud,
            "sky.dev/node-type": head ? "head" : "worker",
        ]) { _, ours in ours }
        if gpus > 0 { labels["skypilot-binpack"] = "gpu" }
        return labels
    }

    /// The manifest as a JSON-serialisable dictionary.
    package func manifest(index: Int) -> [String: Any] {
        var requests: [String: Any] = [
            "cpu": Self.quantity(cpus), "memory": "\(Self.quantity(memoryGB))G",
        ]
        var limits: [String: Any] = [:]
        if gpus > 0 {
            requests[gpuResource] = "\(gpus)"
            limits[gpuResource] = "\(gpus)"
        }
        var resources: [String: Any] = ["requests": requests]
        if !limits.isEmpty { resources["limits"] = limits }
        var spec: [String: Any] = [
            "restartPolicy": "Never",
            "terminationGracePeriodSeconds": 5,
            "containers": [
                [
                    "name": "ray-node", "image": image, "command": Self.keepAlive,
                    "workingDir": "/root", "resources": resources,
                    "volumeMounts": [["name": "dshm", "mountPath": "/dev/shm"]],
                ] as [String: Any]
            ],
            "volumes": [["name": "dshm", "emptyDir": ["medium": "Memory"]]],
        ]
        if let affinity {
            spec["affinity"] = [
                "nodeAffinity": [
                    "requiredDuringSchedulingIgnoredDuringExecution": [
                        "nodeSelectorTerms": [
                            [
                                "matchExpressions": [
                                    [
                                        "key": affinity.key, "operator": "In",
                                        "values": affinity.values,
                                    ]
                                ]
                            ]
                        ]
                    ]
                ]
            ]
        }
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": Self.podName(clusterNameOnCloud, index: index),
                "labels": labels(index: index),
                "annotations": extraAnnotations.merging(
                    ["sky.dev/cluster-display-name": clusterName]) { _, ours in ours },
            ] as [String: Any],
            "spec": spec,
        ]
    }

    /// A Kubernetes quantity for a number (`2`, `0.5`).
    package static func quantity(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        return String(format: "%.3f", value)
            .replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
    }
}
