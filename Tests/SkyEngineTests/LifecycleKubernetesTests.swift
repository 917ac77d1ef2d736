import Foundation
import SkyCore
import SkyKubernetes
import SkyProvision
import SkyState
import Testing

@testable import SkyEngine

/// The Kubernetes testbed with a real node (`TESTBED_K8S_KUBELET=1 k8s.sh up`, then
/// `eval "$(Tests/testbed/k8s.sh env)"`): pods really run its image. The skylet copied into the
/// pods must be a static build (`SKY_SKYLET_BINARY`, as scripts/test.sh sets).
enum KubernetesLifecycleBed {
    static let env = ProcessInfo.processInfo.environment
    static var available: Bool {
        env["KUBECONFIG"] != nil && env["K8S_TESTBED_REAL_NODE"] != nil
            && env["K8S_TESTBED_POD_IMAGE"] != nil && LifecycleFixture.skyletAvailable
    }
    static var image: String { env["K8S_TESTBED_POD_IMAGE"] ?? "" }
    static let kubectl = Kubectl(environment: env)

    /// The task's resources for a pod of the testbed (small, so several fit on its node).
    static var resources: String {
        "  infra: k8s\n  cpus: 0.25\n  memory: 0.25\n  image_id: docker:\(image)\n"
    }

    static func objects(_ kinds: String, nameOnCloud: String) async throws -> [[String: Any]] {
        try await kubectl.items(["get", kinds, "-l", "sky.dev/cluster=\(nameOnCloud)"])
    }

    /// The testbed node advertises fake GPUs with only `nvidia.com/gpu.present`; GPU feature
    /// discovery would also label the product. The label makes the backend set node affinity.
    static func labelGPUProduct() async throws {
        _ = try await kubectl.checked([
            "label", "node", env["K8S_TESTBED_REAL_NODE"] ?? "", "--overwrite",
            "nvidia.com/gpu.product=NVIDIA-Tesla-T4",
        ])
    }
}

@Suite(
    .fixtureScope, .serialized,
    .enabled(
        if: KubernetesLifecycleBed.available,
        "Kubernetes testbed with a real node, or a (static) skylet, missing: TESTBED_K8S_KUBELET=1 Tests/testbed/k8s.sh up; eval \"$(Tests/testbed/k8s.sh env)\"; SKY_SKYLET_BINARY=<static skylet>"
    ))
struct LifecycleKubernetesTests {
    @Test func twoPodClusterRunsExecsLogsRefreshesAndGoesDown() async throws {
        let fx = try LifecycleFixture(tag: "k8s2")
        let result = try await fx.launch(
            """
            resources:
            \(KubernetesLifecycleBed.resources)  labels:
                team: ml
            num_nodes: 2
            envs:
              MY_ENV: hello-k8s
            run: echo "rank=$SKYPILOT_NODE_RANK env=$MY_ENV host=$(hostname)"
            """, cluster: "kube")
        #expect(result.jobStatus == .succeeded)
        let lines = fx.takeLines()
        let record = try #require(try await fx.record("kube"))
        let nameOnCloud = try #require(record.clusterNameOnCloud)
        #expect(record.cloud == "kubernetes")
        #expect(lines.contains { $0.hasSuffix("rank=0 env=hello-k8s host=\(nameOnCloud)-head") })
        #expect(lines.contains { $0.hasSuffix("rank=1 env=hello-k8s host=\(nameOnCloud)-worker1") })

        // Labels, resources, the user's label on the real pods.
        let pods = try await KubernetesLifecycleBed.objects("pods", nameOnCloud: nameOnCloud)
        #expect(pods.count == 2)
        for pod in pods {
            let labels = (pod["metadata"] as? [String: Any])?["labels"] as? [String: String] ?? [:]
            #expect(labels["skypilot-cluster-name"] == nameOnCloud)
            #expect(labels["sky.dev/cluster"] == nameOnCloud)
            #expect(labels["team"] == "ml")
            let container = ((pod["spec"] as? [String: Any])?["containers"] as? [[String: Any]])?
                .first
            let requests =
                (container?["resources"] as? [String: Any])?["requests"] as? [String: String]
            #expect(requests?["cpu"] == "250m")
        }

        // exec: a job on the UP cluster, then its log.
        let exec = try await fx.engine.exec(
            // The pods have 0.25 CPU; a job asks 0.5 unless told.
            try fx.task("resources:\n  cpus: 0.25\nrun: echo exec-$SKYPILOT_NODE_RANK"),
            cluster: "kube", detach: false,
            output: fx.output)
        #expect(exec.jobStatus == .succeeded)
        #expect(fx.takeLines().contains { $0.hasSuffix("exec-0") })
        let logLines = LineBox()
        let status = try await fx.engine.logs(
            cluster: "kube", jobID: 1, follow: true, tail: nil, worker: nil,
            onLine: { logLines.append($0) })
        #expect(status == .succeeded)
        #expect(
            logLines.take().contains {
                $0.hasSuffix("rank=1 env=hello-k8s host=\(nameOnCloud)-worker1")
            })
        let queue = try await fx.engine.queue(["kube"], skipFinished: false, allUsers: true)
        #expect(queue.first?.jobs.count == 2)

        // `ssh <cluster>` entries go through the API server (port-forward ProxyCommand).
        let entry = try String(contentsOfFile: fx.skyHome + "/generated/ssh/kube", encoding: .utf8)
        #expect(entry.contains("ProxyCommand "))
        #expect(entry.contains("HostKeyAlias \(nameOnCloud)-head"))
        let ssh = try await Self.run([
            "ssh", "-F", fx.root + "/.ssh/config", "-o", "BatchMode=yes", "kube", "echo", "via-ssh",
        ])
        #expect(ssh.stdout.contains("via-ssh"), "\(ssh.stderr)")

        // A worker deleted behind our back shows in a refresh.
        _ = try await KubernetesLifecycleBed.kubectl.checked([
            "delete", "pod", "\(nameOnCloud)-worker1", "--wait=false",
        ])
        let refreshed = try await fx.engine.status(["kube"], refresh: true)
        #expect(refreshed.first?.status == .initializing)

        try await fx.engine.down("kube")
        #expect(
            try await KubernetesLifecycleBed.objects("pods,services", nameOnCloud: nameOnCloud)
                .isEmpty)
        #expect(try await fx.record("kube") == nil)
        #expect(!FileManager.default.fileExists(atPath: fx.skyHome + "/generated/ssh/kube"))
    }

    /// An image the node cannot pull fails the launch with the kubelet's reason, and the pod it
    /// made goes at once: it never ran, so there is no grace period to wait out (the kubelet,
    /// busy pulling, kept it `Terminating` for about 33 s before).
    @Test func anImageTheNodeCannotPullFailsAndLeavesNoPod() async throws {
        let fx = try LifecycleFixture(tag: "k8spull")
        let error = await fx.refusal(
            """
            resources:
              infra: k8s
              cpus: 0.25
              memory: 0.25
              image_id: docker:sky-testbed/no-such-image:1
            run: echo never
            """, cluster: "nopull", "the image does not exist")
        #expect(error.contains("cannot pull its image"), "\(error)")
        #expect(try await fx.record("nopull") == nil)
        let pods = try await KubernetesLifecycleBed.kubectl.items([
            "get", "pods", "-l", "sky.dev/cluster",
        ])
        let names = pods.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
        #expect(!names.contains { $0.hasPrefix("nopull-") }, "\(names)")
    }

    @Test func gpuRequestIsPlacedWithAffinityOrFailsOverFastToTheSSHPool() async throws {
        try await KubernetesLifecycleBed.labelGPUProduct()
        var pools: String?
        // Host 8 of `sshpool.sh up 12` is this test's alone (Tests/testbed/README.md).
        if LifecycleTestbed.ips.count >= 12 {
            let env = ProcessInfo.processInfo.environment
            pools = """
                tb:
                  identity_file: \(env["SKY_TESTBED_SSH_KEY"] ?? "")
                  accelerators: T4:8
                  hosts:
                    - ip: \(LifecycleTestbed.ips[7])
                      user: sky8
                """
        }
        let fx = try LifecycleFixture(tag: "k8sgpu", poolsYAML: pools)

        // One GPU fits the node: placed there, with required affinity on the product label.
        let fits = try await fx.launch(
            "resources:\n\(KubernetesLifecycleBed.resources)  accelerators: T4:1\nrun: echo gpu-ok",
            cluster: "gpu1")
        #expect(fits.jobStatus == .succeeded)
        let nameOnCloud = try #require(try await fx.record("gpu1")?.clusterNameOnCloud)
        let pod = try await KubernetesLifecycleBed.kubectl.json([
            "get", "pod", "\(nameOnCloud)-head",
        ])
        let spec = try #require(pod["spec"] as? [String: Any])
        #expect(spec["nodeName"] as? String == KubernetesLifecycleBed.env["K8S_TESTBED_REAL_NODE"])
        let terms =
            ((((spec["affinity"] as? [String: Any])?["nodeAffinity"] as? [String: Any])?[
                "requiredDuringSchedulingIgnoredDuringExecution"] as? [String: Any])?[
                    "nodeSelectorTerms"]
                as? [[String: Any]]) ?? []
        let expression = (terms.first?["matchExpressions"] as? [[String: Any]])?.first
        #expect(expression?["key"] as? String == "nvidia.com/gpu.product")
        #expect(expression?["values"] as? [String] == ["NVIDIA-Tesla-T4"])
        let limits =
            ((spec["containers"] as? [[String: Any]])?.first?["resources"] as? [String: Any])?[
                "limits"]
            as? [String: String]
        #expect(limits?["nvidia.com/gpu"] == "1")
        try await fx.engine.down("gpu1")

        // Eight GPUs fit nowhere: the scheduler's message, then the SSH pool.
        guard pools != nil else { return }
        let start = Date()
        let moved = try await fx.launch(
            """
            resources:
              cpus: 0.25
              memory: 0.25
              accelerators: T4:8
              ordered:
                - infra: k8s
                  image_id: docker:\(KubernetesLifecycleBed.image)
                - infra: ssh/tb
            run: echo on-ssh
            """, cluster: "gpu8")
        print(
            "8-GPU launch: k8s refused then ssh ran in \(String(format: "%.2f", Date().timeIntervalSince(start))) s"
        )
        #expect(moved.jobStatus == .succeeded)
        #expect(moved.failoverHistory.count == 1)
        let refusal = moved.failoverHistory.first ?? ""
        #expect(refusal.contains("kubernetes"))
        #expect(refusal.contains("Insufficient nvidia.com/gpu"), "\(refusal)")
        #expect(try await fx.record("gpu8")?.cloud == "ssh")
        try await fx.engine.down("gpu8")
    }

    @Test func podConfigIsMergedAndPortsGetAServiceOwnedByTheHead() async throws {
        let fx = try LifecycleFixture(tag: "k8scfg")
        let result = try await fx.launch(
            """
            resources:
            \(KubernetesLifecycleBed.resources)  ports: 8080
            config:
              kubernetes:
                ports: nodeport
                pod_config:
                  metadata:
                    labels:
                      from-pod-config: "yes"
                  spec:
                    containers:
                      - env:
                          - name: FROM_POD_CONFIG
                            value: merged
            run: echo "pod-config=$FROM_POD_CONFIG"
            """, cluster: "cfg")
        #expect(result.jobStatus == .succeeded)
        #expect(fx.takeLines().contains { $0.hasSuffix("pod-config=merged") })
        let nameOnCloud = try #require(try await fx.record("cfg")?.clusterNameOnCloud)
        let head = try await KubernetesLifecycleBed.kubectl.json([
            "get", "pod", "\(nameOnCloud)-head",
        ])
        let metadata = try #require(head["metadata"] as? [String: Any])
        #expect((metadata["labels"] as? [String: String])?["from-pod-config"] == "yes")
        let services = try await KubernetesLifecycleBed.objects(
            "services", nameOnCloud: nameOnCloud)
        #expect(services.count == 1)
        let service = try #require(services.first)
        let owner =
            ((service["metadata"] as? [String: Any])?["ownerReferences"] as? [[String: Any]])?.first
        #expect(owner?["kind"] as? String == "Pod")
        #expect(owner?["uid"] as? String == metadata["uid"] as? String)
        let serviceSpec = service["spec"] as? [String: Any]
        #expect(serviceSpec?["type"] as? String == "NodePort")
        #expect(
            (serviceSpec?["selector"] as? [String: String])?["component"] == "\(nameOnCloud)-head")
        let servicePort = (serviceSpec?["ports"] as? [[String: Any]])?.first
        #expect(servicePort?["port"] as? Int == 8080)
        // `sky status --endpoints`: no load balancer here, so the head node's IP and node port.
        let nodePort = try #require(servicePort?["nodePort"] as? Int)
        let hostIP = try #require((head["status"] as? [String: Any])?["hostIP"] as? String)
        #expect(try await fx.engine.endpoints("cfg") == ["8080": ["\(hostIP):\(nodePort)"]])
        try await fx.engine.down("cfg")
        #expect(
            try await KubernetesLifecycleBed.objects("pods,services", nameOnCloud: nameOnCloud)
                .isEmpty)
    }

    /// Reference 6.1's namespace order from `$SKY_HOME/config.yaml`: the context's entry in
    /// `kubernetes.context_configs` wins over `kubernetes.namespace` (which names a namespace
    /// that does not exist: using it would fail the launch); `custom_metadata` reaches the pod.
    @Test func podLandsInTheNamespaceOfTheContextConfig() async throws {
        let fx = try LifecycleFixture(tag: "k8sns")
        let kubectl = KubernetesLifecycleBed.kubectl
        let context = try await kubectl.checked(["config", "current-context"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let namespace = "sky-ns-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await kubectl.checked(["create", "namespace", namespace])
        try FixtureScope.defer("namespace \(namespace)") {
            _ = try? await kubectl.checked(["delete", "namespace", namespace, "--wait=false"])
        }
        // Pods are admitted once the namespace's default ServiceAccount exists.
        let deadline = Date().addingTimeInterval(30)
        while (try? await kubectl.checked(["get", "serviceaccount", "default", "-n", namespace]))
            == nil,
            Date() < deadline
        {
            try await _Concurrency.Task.sleep(for: .milliseconds(200))
        }
        try """
        kubernetes:
          namespace: no-such-namespace-here
          custom_metadata:
            labels:
              cost-center: "42"
            annotations:
              example.com/owner: team-a
          context_configs:
            \(context):
              namespace: \(namespace)
        """.write(toFile: fx.skyHome + "/config.yaml", atomically: true, encoding: .utf8)
        let result = try await fx.launch(
            "resources:\n\(KubernetesLifecycleBed.resources)run: echo in-namespace-ok",
            cluster: "ns")
        #expect(result.jobStatus == .succeeded)
        #expect(fx.takeLines().contains { $0.hasSuffix("in-namespace-ok") })
        let nameOnCloud = try #require(try await fx.record("ns")?.clusterNameOnCloud)
        let pods = try await kubectl.items([
            "get", "pods", "-n", namespace, "-l", "sky.dev/cluster=\(nameOnCloud)",
        ])
        #expect(pods.count == 1)
        // `kubernetes.custom_metadata` of the same file on the pod.
        let metadata = pods.first?["metadata"] as? [String: Any]
        #expect((metadata?["labels"] as? [String: String])?["cost-center"] == "42")
        #expect((metadata?["annotations"] as? [String: String])?["example.com/owner"] == "team-a")
        #expect(try await KubernetesLifecycleBed.objects("pods", nameOnCloud: nameOnCloud).isEmpty)
        // Down finds the pod in that namespace even with the config file gone.
        try FileManager.default.removeItem(atPath: fx.skyHome + "/config.yaml")
        try await fx.engine.down("ns")
        #expect(
            try await kubectl.items([
                "get", "pods", "-n", namespace, "-l", "sky.dev/cluster=\(nameOnCloud)",
            ]).isEmpty)
    }

    static func run(_ argv: [String]) async throws -> (code: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = argv
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self),
            String(decoding: stderr, as: UTF8.self)
        )
    }
}

@Suite(
    .fixtureScope,
    .enabled(
        if: KubernetesLifecycleBed.available,
        "Kubernetes testbed missing: TESTBED_K8S_KUBELET=1 Tests/testbed/k8s.sh up; eval \"$(Tests/testbed/k8s.sh env)\""
    ))
struct KubernetesCheckEngineTests {
    @Test func skyCheckReportsEveryAllowedContext() async throws {
        let fx = try LifecycleFixture(tag: "k8schk")
        try
            "kubernetes:\n  allowed_contexts:\n    - testbed\n    - testbed-token\n    - no-such-context\n"
            .write(toFile: fx.skyHome + "/config.yaml", atomically: true, encoding: .utf8)
        let outcome = try #require(try await fx.engine.check(infra: ["kubernetes"]).first)
        #expect(outcome.capabilities == ["compute"])
        #expect(outcome.reason == "2 of 3 context(s) usable: testbed, testbed-token")
        #expect(outcome.tree.count == 3)
        #expect(outcome.tree[0].hasPrefix("testbed: enabled. Namespace default"))
        #expect(outcome.tree[1].hasPrefix("testbed-token: enabled."))
        #expect(outcome.tree[2].hasPrefix("no-such-context: disabled. Reason: "))
    }
}

/// The layered config on the launch path (no test bed needed: an invalid file stops the launch
/// before anything is recorded).
@Suite(.fixtureScope) struct EngineConfigTests {
    @Test func anInvalidUserConfigStopsTheLaunchNamingFileAndLine() async throws {
        let fx = try LifecycleFixture(tag: "badcfg")
        try "allowed_clouds: [local]\nkubernetes:\n  ports: everywhere\n"
            .write(toFile: fx.skyHome + "/config.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try await fx.launch("run: echo never", cluster: "bad")
            Issue.record("launched with an invalid config")
        } catch {
            #expect(
                "\(error)".contains(
                    fx.skyHome + "/config.yaml, line 3: kubernetes.ports must be one of"),
                "\(error)")
        }
        #expect(try await fx.record("bad") == nil)
    }

    @Test func skyCheckNamesTheFileWhoseAllowedCloudsDisablesACloud() async throws {
        let fx = try LifecycleFixture(tag: "allowchk")
        let project = fx.root + "/project.sky.yaml"
        try "allowed_clouds: [gcp]\n".write(toFile: project, atomically: true, encoding: .utf8)
        var env = fx.engine.environment
        env["SKYPILOT_PROJECT_CONFIG"] = project
        let engine = SkyEngine(home: fx.skyHome, environment: env)
        let outcome = try #require(try await engine.check(infra: ["aws"]).first)
        #expect(outcome.capabilities.isEmpty)
        #expect(outcome.reason == "Not in allowed_clouds of \(project).")
    }

    @Test func allowedCloudsComesFromTheLayeredConfig() throws {
        let fx = try LifecycleFixture(tag: "allowed")
        try "allowed_clouds:\n  - AWS   # upper-case is fine\n  - k8s\n"
            .write(toFile: fx.skyHome + "/config.yaml", atomically: true, encoding: .utf8)
        #expect(fx.engine.allowedClouds() == ["aws", "k8s"])
        #expect(
            fx.engine.restrictToAllowed(["aws", "gcp", "kubernetes"]) == ["aws", "kubernetes"])
        try FileManager.default.removeItem(atPath: fx.skyHome + "/config.yaml")
        #expect(fx.engine.allowedClouds() == nil)
    }
}
