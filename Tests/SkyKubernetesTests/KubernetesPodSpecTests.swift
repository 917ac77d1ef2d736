import Foundation
import SkyCore
import SkyKubernetes
import SkyProvision
import Testing

@Suite struct KubernetesPodSpecTests {
    func spec(gpus: Int = 0) -> KubernetesPodSpec {
        KubernetesPodSpec(
            clusterName: "my-c", clusterNameOnCloud: "my-c-2ea4", user: "alice",
            image: "sky-testbed/debian:12", cpus: 0.5, memoryGB: 1, gpus: gpus,
            affinity: gpus > 0
                ? (key: "nvidia.com/gpu.product", values: ["NVIDIA-H100-80GB-HBM3"]) : nil,
            userLabels: ["team": "ml", "parent": "mine"])
    }

    @Test func headAndWorkerLabels() {
        let head = spec().labels(index: 0)
        let worker = spec().labels(index: 2)
        #expect(head["parent"] == "skypilot")
        #expect(head["team"] == "ml")
        #expect(head["skypilot-head-node"] == "1")
        #expect(head["ray-node-type"] == "head")
        #expect(head["sky.dev/cluster"] == "my-c-2ea4")
        #expect(worker["skypilot-head-node"] == "0")
        #expect(worker["sky.dev/node-type"] == "worker")
        #expect(worker["component"] == "my-c-2ea4-worker2")
        #expect(KubernetesPodSpec.podName("x", index: 0) == "x-head")
        #expect(KubernetesPodSpec.podName("x", index: 3) == "x-worker3")
    }

    @Test func customAnnotationsJoinOursWhichWin() throws {
        var spec = spec()
        spec.extraAnnotations = [
            "example.com/owner": "team-a", "sky.dev/cluster-display-name": "hijack",
        ]
        let metadata = try #require(spec.manifest(index: 0)["metadata"] as? [String: Any])
        let annotations = try #require(metadata["annotations"] as? [String: String])
        #expect(annotations["example.com/owner"] == "team-a")
        #expect(annotations["sky.dev/cluster-display-name"] == "my-c")
    }

    @Test func resourcesAndAffinity() throws {
        let manifest = spec(gpus: 2).manifest(index: 0)
        let podSpec = try #require(manifest["spec"] as? [String: Any])
        let container = try #require((podSpec["containers"] as? [[String: Any]])?.first)
        #expect(container["name"] as? String == "ray-node")
        let resources = try #require(container["resources"] as? [String: Any])
        let requests = try #require(resources["requests"] as? [String: Any])
        let limits = try #require(resources["limits"] as? [String: Any])
        #expect(requests["cpu"] as? String == "0.5")
        #expect(requests["memory"] as? String == "1G")
        #expect(requests["nvidia.com/gpu"] as? String == "2")
        #expect(limits["nvidia.com/gpu"] as? String == "2")
        #expect(limits["cpu"] == nil)
        #expect(podSpec["restartPolicy"] as? String == "Never")
        let data = try JSONSerialization.data(withJSONObject: podSpec)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("requiredDuringSchedulingIgnoredDuringExecution"))
        #expect(text.contains("NVIDIA-H100-80GB-HBM3"))
        #expect(text.contains("\"medium\":\"Memory\""))
    }

    @Test func gpuLabelMatching() {
        #expect(KubernetesGPULabels.value("NVIDIA-H100-80GB-HBM3", matches: "H100"))
        #expect(KubernetesGPULabels.value("nvidia-tesla-t4", matches: "T4"))
        #expect(KubernetesGPULabels.value("h100", matches: "H100"))
        #expect(!KubernetesGPULabels.value("NVIDIA-A100-SXM4-40GB", matches: "H100"))
        #expect(
            KubernetesGPULabels.detectKey(nodes: [["nvidia.com/gpu.present": "true"]]) == nil)
        #expect(
            KubernetesGPULabels.detectKey(nodes: [[:], ["nvidia.com/gpu.product": "Tesla-T4"]])
                == "nvidia.com/gpu.product")
    }

    @Test func quantities() {
        #expect(KubernetesQuantity.parse("500m") == 0.5)
        #expect(KubernetesQuantity.parse("2") == 2)
        #expect(KubernetesQuantity.parse("8Gi") == 8_589_934_592.0)
        #expect(KubernetesQuantity.parse("1G") == 1e9)
        #expect(KubernetesQuantity.parse("abc") == nil)
        #expect(KubernetesProvisioner.defaultTimeout(nodes: 2) == 10.4)
        #expect(KubernetesProvisioner.defaultTimeout(nodes: 1000) == 60)
    }

    @Test func podPhases() {
        func pod(_ phase: String, deleting: Bool = false) -> KubernetesPod {
            var metadata: [String: Any] = ["name": "c-head", "labels": ["ray-node-type": "head"]]
            if deleting { metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
            return KubernetesPod(json: ["metadata": metadata, "status": ["phase": phase]])
        }
        #expect(pod("Pending").instanceStatus == .initializing)
        #expect(pod("Running").instanceStatus == .up)
        #expect(pod("Failed").instanceStatus == .initializing)
        #expect(pod("Succeeded").instanceStatus == nil)
        #expect(pod("Running", deleting: true).instanceStatus == nil)
        let unschedulable = KubernetesPod(json: [
            "metadata": ["name": "c-worker1"],
            "status": [
                "phase": "Pending",
                "conditions": [
                    [
                        "type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                        "message": "0/1 nodes are available: 1 Insufficient nvidia.com/gpu.",
                    ]
                ],
            ],
        ])
        #expect(unschedulable.isUnfittable)
        #expect(unschedulable.index == 1)
    }

    /// A deleted pod whose containers never ran (image not pulled, not scheduled) may go at
    /// once; one whose container runs, ran or restarted is given its grace period.
    @Test func podsDeletedBeforeTheyRan() {
        func pod(_ containers: [[String: Any]], deleting: Bool = true) -> KubernetesPod {
            var metadata: [String: Any] = ["name": "c-head"]
            if deleting { metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
            return KubernetesPod(json: [
                "metadata": metadata,
                "status": ["phase": "Pending", "containerStatuses": containers],
            ])
        }
        let pulling: [String: Any] = [
            "restartCount": 0, "state": ["waiting": ["reason": "ErrImagePull", "message": "no"]],
        ]
        #expect(pod([]).isDeletedBeforeItRan)
        #expect(pod([pulling]).isDeletedBeforeItRan)
        #expect(pod([pulling]).imageFailure)
        #expect(!pod([pulling], deleting: false).isDeletedBeforeItRan)
        #expect(
            !pod([["restartCount": 0, "state": ["running": ["startedAt": "x"]]]])
                .isDeletedBeforeItRan)
        #expect(
            !pod([["restartCount": 0, "state": ["terminated": ["exitCode": 0]]]])
                .isDeletedBeforeItRan)
        #expect(
            !pod([
                [
                    "restartCount": 2, "state": ["waiting": ["reason": "CrashLoopBackOff"]],
                    "lastState": ["terminated": ["exitCode": 1]],
                ]
            ]).isDeletedBeforeItRan)
    }
}
