import Foundation
import SkyCore
import SkyKubernetes
import SkyProvision
import Testing

@Suite struct KubernetesConfigTests {
    let provisioner = KubernetesProvisioner(environment: [:])

    func config(_ json: String) throws -> JSONValue {
        try JSONValue.parse(Data(json.utf8))
    }

    @Test func providerConfigFromResourcesAndTaskConfig() throws {
        var resources = Resources()
        resources.imageID = [nil: "docker:sky-testbed/debian:12"]
        let taskConfig = try config(
            #"{"kubernetes": {"namespace": "team-a", "provision_timeout": 30, "ports": "NodePort", "pod_config": {"spec": {"priorityClassName": "high"}}}}"#
        )
        let out = try provisioner.providerConfig(resources: resources, taskConfig: taskConfig)
        #expect(out["image_id"] == "docker:sky-testbed/debian:12")
        #expect(provisioner.image(out) == "sky-testbed/debian:12")
        // The merged config is kept with the cluster; each context's settings come from it.
        let settings = try provisioner.settings(context: "any", providerConfig: out)
        #expect(settings.namespace == "team-a")
        #expect(settings.provisionTimeout == 30)
        #expect(settings.portMode == "nodeport")
        #expect(settings.podConfig?["spec"]?["priorityClassName"] == .string("high"))

        resources.dockerImage = "img:1"
        #expect(
            try provisioner.providerConfig(resources: resources, taskConfig: nil) == [
                "image_id": "docker:img:1"
            ])
    }

    @Test func contextConfigsAndWorkspacesOverrideTheCloudWideValues() throws {
        let merged = try config(
            #"""
            {"active_workspace": "team",
             "kubernetes": {"namespace": "general", "ports": "ingress",
                            "pod_config": {"spec": {"tolerations": [{"key": "a"}]}},
                            "context_configs": {"ctx-a": {"namespace": "ns-a", "provision_timeout": 9,
                                                          "pod_config": {"spec": {"tolerations": [{"key": "b"}]}}}}},
             "workspaces": {"team": {"kubernetes": {"context_configs": {"ctx-w": {"namespace": "ns-w"}}}},
                            "other": {"kubernetes": {"namespace": "never"}}}}
            """#)
        let out = try provisioner.providerConfig(resources: Resources(), taskConfig: merged)
        let a = try provisioner.settings(context: "ctx-a", providerConfig: out)
        #expect(a.namespace == "ns-a")
        #expect(a.provisionTimeout == 9)
        #expect(a.portMode == "ingress")
        // A per-context pod_config merges into the cloud-wide one (lists appended).
        #expect(
            a.podConfig?["spec"]?["tolerations"]
                == .array([.object([("key", .string("a"))]), .object([("key", .string("b"))])]))
        #expect(
            try provisioner.settings(context: "ctx-b", providerConfig: out).namespace == "general")
        #expect(try provisioner.settings(context: "ctx-w", providerConfig: out).namespace == "ns-w")
        // SkyPilot's local kind cluster always uses an Ingress.
        #expect(
            try provisioner.settings(context: "kind-skypilot", providerConfig: out).portMode
                == "ingress")
        #expect(
            try provisioner.settings(context: "ctx-b", providerConfig: ["ports": "podip"]).portMode
                == "podip")
        // What the cluster recorded once it ran wins over the config.
        var recorded = out
        recorded["namespace"] = "recorded"
        #expect(
            try provisioner.settings(context: "ctx-a", providerConfig: recorded).namespace
                == "recorded")
    }

    @Test func withoutARecordedConfigTheBackendsOwnConfigAnswers() throws {
        let own = try SkyConfig.parse(
            "kubernetes:\n  namespace: from-file\n  allowed_contexts: [x, y]\n",
            source: "/tmp/c.yaml")
        let backend = KubernetesProvisioner(environment: [:], configSource: { own })
        #expect(try backend.settings(context: "x", providerConfig: [:]).namespace == "from-file")
        let broken = KubernetesProvisioner(
            environment: [:],
            configSource: { () throws(SkyConfigError) -> SkyConfig in
                throw .invalid(
                    file: "/tmp/c.yaml", line: 3, keyPath: "kubernetes.ports", message: "bad")
            })
        do throws(ProvisionError) {
            _ = try broken.settings(context: "x", providerConfig: [:])
            Issue.record("an invalid config was accepted")
        } catch {
            #expect(error.code == "invalidConfig")
            #expect(error.message.contains("/tmp/c.yaml, line 3"))
        }
    }

    @Test func invalidTaskConfigIsRefusedWithTheField() throws {
        for (json, field) in [
            (#"{"kubernetes": {"ports": "ingress-ish"}}"#, "kubernetes.ports"),
            (#"{"kubernetes": {"namespace": "Not_A_Name"}}"#, "kubernetes.namespace"),
            (#"{"kubernetes": {"provision_timeout": "soon"}}"#, "kubernetes.provision_timeout"),
            (#"{"kubernetes": {"pod_config": [1, 2]}}"#, "kubernetes.pod_config"),
            (
                #"{"kubernetes": {"context_configs": {"c": {"namespace": "UPPER"}}}}"#,
                "kubernetes.context_configs.c.namespace"
            ),
        ] {
            let taskConfig = try config(json)
            do throws(ProvisionError) {
                _ = try provisioner.providerConfig(resources: Resources(), taskConfig: taskConfig)
                Issue.record("accepted \(json)")
            } catch {
                #expect(error.code == "invalidConfig")
                #expect(error.message.contains(field), "\(error.message)")
            }
        }
    }

    @Test func podConfigMergesIntoTheManifestButKeepsNameAndClusterLabels() throws {
        let spec = KubernetesPodSpec(
            clusterName: "c", clusterNameOnCloud: "c-1234", user: "u", image: "base:1", cpus: 1,
            memoryGB: 1, gpus: 0, affinity: nil, userLabels: [:])
        let user: [String: Any] = [
            "metadata": [
                "name": "renamed", "labels": ["extra": "x", "sky.dev/cluster": "hijack"],
            ],
            "spec": [
                "containers": [
                    ["image": "custom:2", "env": [["name": "A", "value": "1"]]],
                    ["name": "sidecar", "image": "side:1"],
                ],
                "volumes": [["name": "data", "emptyDir": [:] as [String: Any]]],
                "tolerations": [["key": "gpu", "operator": "Exists"]],
            ] as [String: Any],
        ]
        let merged = KubernetesPodConfig.merge(spec.manifest(index: 0), with: user)
        let metadata = try #require(merged["metadata"] as? [String: Any])
        #expect(metadata["name"] as? String == "c-1234-head")
        let labels = try #require(metadata["labels"] as? [String: Any])
        #expect(labels["extra"] as? String == "x")
        #expect(labels["sky.dev/cluster"] as? String == "c-1234")
        let podSpec = try #require(merged["spec"] as? [String: Any])
        let containers = try #require(podSpec["containers"] as? [[String: Any]])
        #expect(containers.count == 2)
        #expect(containers[0]["name"] as? String == "ray-node")
        #expect(containers[0]["image"] as? String == "custom:2")
        #expect((containers[0]["env"] as? [[String: Any]])?.first?["value"] as? String == "1")
        #expect(containers[0]["resources"] != nil)
        #expect(containers[1]["name"] as? String == "sidecar")
        let volumes = try #require(podSpec["volumes"] as? [[String: Any]])
        #expect(volumes.map { $0["name"] as? String } == ["dshm", "data"])
        #expect(podSpec["restartPolicy"] as? String == "Never")
        #expect((podSpec["tolerations"] as? [[String: Any]])?.count == 1)
    }

    @Test func amdAndTPUResourceKeys() throws {
        #expect(
            KubernetesGPULabels.resourceKey(allocatable: ["cpu": "8", "amd.com/gpu": "8"])
                == "amd.com/gpu")
        #expect(
            KubernetesGPULabels.resourceKey(allocatable: [
                "nvidia.com/gpu": "0", "google.com/tpu": "4",
            ]) == "google.com/tpu")
        #expect(KubernetesGPULabels.resourceKey(allocatable: ["cpu": "8"]) == nil)
        #expect(KubernetesGPULabels.count(["nvidia.com/gpu": "2", "cpu": "1"]) == 2)
        var spec = KubernetesPodSpec(
            clusterName: "c", clusterNameOnCloud: "c-1", user: "u", image: "i", cpus: 1,
            memoryGB: 1,
            gpus: 2, affinity: nil, userLabels: [:])
        spec.gpuResource = "amd.com/gpu"
        let podSpec = try #require(spec.manifest(index: 0)["spec"] as? [String: Any])
        let resources = try #require(
            (podSpec["containers"] as? [[String: Any]])?.first?["resources"] as? [String: Any])
        #expect((resources["requests"] as? [String: Any])?["amd.com/gpu"] as? String == "2")
        #expect((resources["limits"] as? [String: Any])?["amd.com/gpu"] as? String == "2")
        #expect((resources["requests"] as? [String: Any])?["nvidia.com/gpu"] == nil)
        #expect(KubernetesGPULabels.displayName("NVIDIA-Tesla-T4") == "T4")
        #expect(KubernetesGPULabels.displayName("NVIDIA-A100-SXM4-80GB") == "A100-80GB")
        #expect(KubernetesGPULabels.displayName("nvidia-h100-80gb-hbm3") == "H100")
        #expect(KubernetesGPULabels.displayName("mystery-card") == "mystery-card")
    }

    @Test func portSpecs() throws {
        #expect(
            try KubernetesProvisioner.expand(["8080", "9000-9002"]) == [8080, 9000, 9001, 9002])
        #expect(throws: ProvisionError.self) { try KubernetesProvisioner.expand(["0"]) }
        #expect(throws: ProvisionError.self) { try KubernetesProvisioner.expand(["9-2"]) }
    }
}
