import Foundation
import SkyCore
import SkyKubernetes
import SkyProvision
import SkyRuntime
import Testing

/// Integration tests on the real Kubernetes testbed (`TESTBED_K8S_KUBELET=1
/// TESTBED_K8S_NODE_GPUS=2 Tests/testbed/k8s.sh up`, then `eval "$(Tests/testbed/k8s.sh env)"`):
/// pods really run on its kubelet node. Skipped when that environment is absent.
@Suite(
    .serialized,
    .enabled(
        if: KubernetesTestbed.available,
        "Kubernetes testbed with a real node not configured (TESTBED_K8S_KUBELET=1 k8s.sh up; eval its env)"
    ))
struct KubernetesTestbedTests {
    let provisioner = KubernetesProvisioner(environment: KubernetesTestbed.environment)
    let kubectl = Kubectl(environment: KubernetesTestbed.environment)

    func config(_ cluster: String, count: Int, gpus: Double = 0) -> ProvisionConfig {
        ProvisionConfig(
            clusterName: cluster, clusterNameOnCloud: cluster, region: "",
            offering: Offering(
                cloud: "kubernetes", region: "testbed", instanceType: "test", cpus: 0.25,
                memoryGB: 0.25, acceleratorName: gpus > 0 ? "T4" : nil, acceleratorCount: gpus,
                price: 0),
            count: count, tags: ["team": "ml", "bad label": "x"])
    }

    func podJSON(_ name: String) async throws -> [String: Any] {
        try await kubectl.json(["get", "pod", name])
    }

    func podsLeft(_ cluster: String) async throws -> [[String: Any]] {
        try await kubectl.items(["get", "pods", "-l", "sky.dev/cluster=\(cluster)"])
    }

    @Test func twoPodClusterRunsCommandsAndTerminates() async throws {
        let name = KubernetesTestbed.clusterName("two")
        let cfg = config(name, count: 2)
        let locator = ClusterLocator(cfg)
        let record = try await provisioner.runInstances(cfg)
        #expect(record.createdInstanceIDs == ["\(name)-head", "\(name)-worker1"])
        do {
            try await provisioner.waitInstances(locator, state: .up)
            // Idempotent: a second run creates nothing.
            let again = try await provisioner.runInstances(cfg)
            #expect(again.createdInstanceIDs.isEmpty)

            let head = try await podJSON("\(name)-head")
            let labels = try #require(
                (head["metadata"] as? [String: Any])?["labels"] as? [String: String])
            #expect(labels["parent"] == "skypilot")
            #expect(labels["skypilot-cluster-name"] == name)
            #expect(labels["ray-node-type"] == "head")
            #expect(labels["skypilot-head-node"] == "1")
            #expect(labels["sky.dev/node-type"] == "head")
            #expect(labels["team"] == "ml")
            let spec = try #require(head["spec"] as? [String: Any])
            #expect(spec["restartPolicy"] as? String == "Never")
            let container = try #require((spec["containers"] as? [[String: Any]])?.first)
            #expect(container["name"] as? String == "ray-node")
            #expect(container["image"] as? String == KubernetesTestbed.image)
            let requests =
                (container["resources"] as? [String: Any])?["requests"] as? [String: String]
            #expect(requests?["cpu"] == "250m")
            let worker = try await podJSON("\(name)-worker1")
            let workerLabels =
                (worker["metadata"] as? [String: Any])?["labels"] as? [String: String]
            #expect(workerLabels?["ray-node-type"] == "worker")
            #expect(workerLabels?["skypilot-head-node"] == "0")

            let info = try await provisioner.clusterInfo(locator)
            #expect(info.instances.map(\.instanceID) == ["\(name)-head", "\(name)-worker1"])
            #expect(info.instances.allSatisfy { $0.internalIP.hasPrefix("10.") })
            let states = try await provisioner.queryInstances(locator)
            #expect(states.count == 2 && states.allSatisfy { $0.status == .up })

            let runners = provisioner.commandRunners(for: info)
            for (runner, instance) in zip(runners, info.instances) {
                let result = try await runner.run(
                    ["bash", "-c", "echo \"$(hostname) $SKY_TEST_VAR $HOME $(pwd)\"; exit 3"],
                    stdin: nil, environment: ["SKY_TEST_VAR": "it's here"])
                #expect(result.exitCode == 3)
                #expect(
                    result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                        == "\(instance.instanceID) it's here /root /root")
                let echoed = try await runner.run(
                    ["cat"], stdin: Data("from stdin".utf8), environment: [:])
                #expect(echoed.stdout == "from stdin")
            }

            // Files both ways through rsync over kubectl exec.
            let local = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
            try FileManager.default.createDirectory(
                atPath: local + "/src/sub", withIntermediateDirectories: true)
            try "hello pod".write(
                toFile: local + "/src/sub/a.txt", atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: local) }
            let worker1 = try #require(runners.last)
            try await worker1.upload(local + "/src/", to: "~/deep/dir/wd", filters: [])
            let cat = try await worker1.run(
                ["cat", "/root/deep/dir/wd/sub/a.txt"], stdin: nil, environment: [:])
            #expect(cat.stdout == "hello pod")
            try await worker1.download("~/deep/dir/wd/sub/a.txt", to: local + "/back/a.txt")
            #expect(
                try String(contentsOfFile: local + "/back/a.txt", encoding: .utf8) == "hello pod")

            await #expect(throws: ProvisionError.self) {
                try await provisioner.stopInstances(locator, workerOnly: false)
            }
        } catch {
            try? await provisioner.terminateInstances(locator, workerOnly: false)
            throw error
        }
        let start = Date()
        try await provisioner.terminateInstances(locator, workerOnly: false)
        print(
            "terminate of 2 pods took \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        #expect(try await podsLeft(name).isEmpty)
        #expect(try await provisioner.queryInstances(locator).isEmpty)
    }

    @Test func gpuRequestThatFitsRunsOnTheGPUNode() async throws {
        let name = KubernetesTestbed.clusterName("gpu")
        let cfg = config(name, count: 1, gpus: 1)
        let locator = ClusterLocator(cfg)
        _ = try await provisioner.runInstances(cfg)
        do {
            try await provisioner.waitInstances(locator, state: .up)
            let pod = try await podJSON("\(name)-head")
            let spec = try #require(pod["spec"] as? [String: Any])
            #expect(spec["nodeName"] as? String == KubernetesTestbed.node)
            let container = try #require((spec["containers"] as? [[String: Any]])?.first)
            let resources = container["resources"] as? [String: Any]
            #expect((resources?["requests"] as? [String: String])?["nvidia.com/gpu"] == "1")
            #expect((resources?["limits"] as? [String: String])?["nvidia.com/gpu"] == "1")
            let labels = (pod["metadata"] as? [String: Any])?["labels"] as? [String: String]
            #expect(labels?["skypilot-binpack"] == "gpu")
        } catch {
            try? await provisioner.terminateInstances(locator, workerOnly: false)
            throw error
        }
        try await provisioner.terminateInstances(locator, workerOnly: false)
        #expect(try await podsLeft(name).isEmpty)
    }

    @Test func gpuRequestThatFitsNowhereFailsFastWithSchedulerMessage() async throws {
        let name = KubernetesTestbed.clusterName("nofit")
        let cfg = config(name, count: 1, gpus: 8)
        let locator = ClusterLocator(cfg)
        let start = Date()
        _ = try await provisioner.runInstances(cfg)
        var caught: ProvisionError?
        do {
            try await provisioner.waitInstances(locator, state: .up)
        } catch {
            caught = error
        }
        let elapsed = Date().timeIntervalSince(start)
        print(
            "unschedulable 8-GPU request: capacity failure after \(String(format: "%.2f", elapsed)) s: \(caught?.message ?? "none")"
        )
        try await provisioner.terminateInstances(locator, workerOnly: false)
        let error = try #require(caught)
        #expect(error.code == "capacity")
        #expect(error.message.contains("Insufficient nvidia.com/gpu"))
        #expect(try await podsLeft(name).isEmpty)
    }

    @Test func anAutoscalerScaleUpKeepsItWaitingUntilTheTimeout() async throws {
        let name = KubernetesTestbed.clusterName("scale")
        var cfg = config(name, count: 1, gpus: 8)
        cfg.providerConfig["provision_timeout"] = "3"
        let locator = ClusterLocator(cfg)
        _ = try await provisioner.runInstances(cfg)
        // What a cluster autoscaler records when it starts a node for the pod.
        let event: [String: Any] = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": "\(name)-head.scaleup"],
            "involvedObject": ["kind": "Pod", "name": "\(name)-head", "namespace": "default"],
            "reason": "TriggeredScaleUp", "type": "Normal",
            "source": ["component": "cluster-autoscaler"],
            "message": "pod triggered scale-up: [{gpu-pool 0->1 (max: 3)}]",
        ]
        _ = try await kubectl.checked(
            ["create", "-f", "-"], stdin: try JSONSerialization.data(withJSONObject: event))
        var caught: ProvisionError?
        do {
            try await provisioner.waitInstances(locator, state: .up)
        } catch {
            caught = error
        }
        try await provisioner.terminateInstances(locator, workerOnly: false)
        _ = try? await kubectl.run(["delete", "event", "\(name)-head.scaleup"])
        let error = try #require(caught)
        #expect(error.code == "capacity")
        #expect(error.message.contains("not running after 3 s"), "\(error.message)")
        #expect(error.message.contains("Insufficient nvidia.com/gpu"))
    }

    @Test func inventoryOffersWhatFits() async throws {
        let inventory = KubernetesInventory(kubectl: kubectl)
        let nodes = try await inventory.nodes()
        let node = try #require(nodes.first { $0.name == KubernetesTestbed.node })
        #expect(node.gpuCapacity >= 1)
        var resources = Resources()
        resources.accelerator = .init(name: "T4", count: 1)
        resources.cpus = .init(0.25)
        resources.memory = .init(0.25)
        let fits = try await inventory.offerings(for: resources, region: "testbed")
        #expect(fits.count == 1)
        #expect(fits.first?.instanceType == "0.25CPU--0.25GB--T4:1")
        #expect((fits.first?.available ?? 0) >= 1)
        // More GPUs than any node has: still a candidate, with nothing available, so that a
        // launch gets the scheduler's own refusal at once.
        resources.accelerator = .init(name: "T4", count: 8)
        let tooBig = try await inventory.offerings(for: resources, region: "testbed")
        #expect(tooBig.first?.available == 0)
        resources.accelerator = nil
        resources.cpus = .init(64)
        #expect(
            try await inventory.offerings(for: resources, region: "testbed").first?.available == 0)
        let check = await provisioner.checkCredentials()
        #expect(check.enabled, "\(check.reason ?? "")")
    }
}

enum KubernetesTestbed {
    static let env = ProcessInfo.processInfo.environment
    static var available: Bool {
        env["KUBECONFIG"] != nil && env["K8S_TESTBED_REAL_NODE"] != nil
            && env["K8S_TESTBED_POD_IMAGE"] != nil
    }
    static var node: String { env["K8S_TESTBED_REAL_NODE"] ?? "" }
    static var image: String { env["K8S_TESTBED_POD_IMAGE"] ?? "" }
    static var environment: [String: String] {
        var e = env
        e["SKY_K8S_DEFAULT_IMAGE"] = image
        return e
    }
    static func clusterName(_ prefix: String) -> String {
        "skyk8s-\(prefix)-\(UUID().uuidString.prefix(6).lowercased())"
    }
}
