import Foundation
import Testing

/// The real `sky-operator`, run out of cluster with exactly the arguments of the chart's
/// Deployment and the chart's ServiceAccount token: the least-privilege RBAC is enough for it
/// to elect itself leader and reconcile.
@Suite(
    "sky-operator from the chart's manifests",
    .enabled(if: KubeTestbed.available, KubeTestbed.skipReason),
    .enabled(if: HelmTestbed.available, HelmTestbed.skipReason),
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: Repo.product("sky-operator")),
        "needs the sky-operator executable (swift build --product sky-operator)"))
struct OperatorFromChartTests {
    /// The container args of the rendered Deployment, `$(POD_NAME)` expanded as the kubelet would.
    static func deploymentArguments(_ manifests: String, podName: String) -> [String] {
        var inArgs = false
        var arguments: [String] = []
        for line in manifests.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text == "args:" {
                inArgs = true
                continue
            }
            guard inArgs else { continue }
            guard text.hasPrefix("- ") else { break }
            var value = String(text.dropFirst(2))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            arguments.append(value.replacingOccurrences(of: "$(POD_NAME)", with: podName))
        }
        return arguments
    }

    /// A kubeconfig for the ServiceAccount (its token Secret, as in a pod), written 0600.
    static func serviceAccountKubeconfig(namespace: String, account: String, directory: String)
        throws -> String
    {
        var secretName = ""
        for _ in 0..<60 {  // the token controller fills .secrets shortly after the account exists
            secretName = try KubeTestbed.kubectl(
                [
                    "get", "serviceaccount", account, "-n", namespace, "-o",
                    "jsonpath={.secrets[0].name}",
                ]).stdout
            if !secretName.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        let encoded = try KubeTestbed.kubectl([
            "get", "secret", secretName, "-n", namespace, "-o", "jsonpath={.data.token}",
        ]).stdout
        guard let data = Data(base64Encoded: encoded),
            let token = String(data: data, encoding: .utf8), !token.isEmpty
        else {
            throw TestbedError.failed(
                "read the ServiceAccount token", "no token in Secret \(secretName)")
        }
        let env = KubeTestbed.environment
        let path = directory + "/sa-kubeconfig"
        let config = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: testbed
              cluster:
                server: \(env["K8S_API_URL"] ?? "")
                certificate-authority: \(env["K8S_CA_FILE"] ?? "")
            users:
            - name: sky-operator
              user:
                token: \(token)
            contexts:
            - name: sky-operator
              context: {cluster: testbed, user: sky-operator, namespace: \(namespace)}
            current-context: sky-operator

            """
        _ = FileManager.default.createFile(
            atPath: path, contents: Data(config.utf8), attributes: [.posixPermissions: 0o600])
        return path
    }

    @Test(
        "the operator runs with the Deployment's args and the chart's ServiceAccount: lease, status, events, finalizers"
    )
    func operatorRunsWithChartRBAC() throws {
        try KubeTestbed.ensureCRDs()
        try KubeTestbed.withNamespace("skychart-op") { ns in
            let work = FileManager.default.temporaryDirectory.appendingPathComponent(
                "skychart-op-\(ns)"
            ).path
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: work) }
            let healthPort = Int.random(in: 20000...29999)
            let values = """
                {"replicaCount":0,"operator":{"watchNamespace":"\(ns)","skyHome":"\(work)/sky",
                "healthPort":\(healthPort),"metricsPort":\(healthPort + 1),"resyncSeconds":30}}
                """
            let release = "r" + ns.suffix(8)
            let manifests = try HelmTestbed.template(
                release: release, namespace: ns, setJSON: values)
            let apply = try KubeTestbed.kubectl(["apply", "-f", "-"], stdin: manifests)
            try #require(apply.status == 0, "\(apply.output)")
            #expect(!manifests.contains("kind: ClusterRole"), "a watched namespace gets a Role")

            let kubeconfig = try Self.serviceAccountKubeconfig(
                namespace: ns, account: "\(release)-sky-operator", directory: work)
            let arguments =
                ["--kubeconfig", kubeconfig]
                + Self.deploymentArguments(manifests, podName: "chart-test-pod")
            #expect(
                arguments.contains("--leader-election-id") && arguments.contains("chart-test-pod"))

            let process = Process()
            process.executableURL = URL(fileURLWithPath: Repo.product("sky-operator"))
            process.arguments = arguments
            process.environment = [
                "HOME": work, "PATH": KubeTestbed.environment["PATH"] ?? "/usr/bin:/bin",
                "SKY_HOME": work + "/sky",
            ]
            let logPath = work + "/operator.log"
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.standardOutput = log
            process.standardError = log
            try process.run()
            defer {
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
            }
            func operatorLog() -> String {
                (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            }

            // Ready, and the leader: the Lease in the release namespace names this identity.
            var ready = false
            for _ in 0..<120 where process.isRunning {
                let probe = try Command.run(
                    "/usr/bin/curl", ["-sf", "http://127.0.0.1:\(healthPort)/readyz"])
                if probe.status == 0 {
                    ready = true
                    break
                }
                Thread.sleep(forTimeInterval: 0.5)
            }
            try #require(ready, "never ready: \(operatorLog())")
            let holder = try waitFor {
                try KubeTestbed.kubectl(
                    [
                        "get", "lease", "sky-operator", "-n", ns, "-o",
                        "jsonpath={.spec.holderIdentity}",
                    ]).stdout
            }
            #expect(holder == "chart-test-pod", "\(operatorLog())")

            // A SkyService is refused with a condition and an event (status + events RBAC).
            let service = Manifest.resource(
                "SkyService", "web",
                spec: Manifest.task("service:\n  readiness_probe: /\nrun: echo"))
            try #require(
                try KubeTestbed.kubectl(["apply", "-n", ns, "-f", "-"], stdin: service).status == 0)
            let servicePhase = try waitFor {
                try KubeTestbed.kubectl([
                    "get", "sks", "web", "-n", ns, "-o", "jsonpath={.status.phase}",
                ]).stdout
            }
            #expect(servicePhase == "Failed", "\(operatorLog())")
            let events = try waitFor {
                try KubeTestbed.kubectl(
                    [
                        "get", "events", "-n", ns, "--field-selector", "involvedObject.name=web",
                        "-o", "jsonpath={.items[*].reason}",
                    ]).stdout
            }
            #expect(events.contains("ServeNotAvailable"), "\(operatorLog())")

            // A SkyCluster whose task names no known backend: the finalizer is added (update on
            // the resource), the status says Failed, and a delete goes through the finalizer.
            let cluster = Manifest.resource(
                "SkyCluster", "nowhere",
                spec: Manifest.task("resources:\n  infra: no-such-backend\nrun: echo"))
            try #require(
                try KubeTestbed.kubectl(["apply", "-n", ns, "-f", "-"], stdin: cluster).status == 0)
            let clusterPhase = try waitFor {
                try KubeTestbed.kubectl([
                    "get", "skc", "nowhere", "-n", ns, "-o", "jsonpath={.status.phase}",
                ]).stdout
            }
            #expect(clusterPhase == "Failed", "\(operatorLog())")
            let finalizers = try KubeTestbed.kubectl([
                "get", "skc", "nowhere", "-n", ns, "-o", "jsonpath={.metadata.finalizers}",
            ]).stdout
            #expect(finalizers.contains("sky.dev/teardown"))
            let delete = try KubeTestbed.kubectl([
                "delete", "skc", "nowhere", "-n", ns, "--timeout=60s",
            ])
            #expect(
                delete.status == 0,
                "the finalizer was not removed: \(delete.output)\n\(operatorLog().suffix(2000))")

            #expect(
                !operatorLog().contains("Forbidden") && !operatorLog().contains(" 403 "),
                "RBAC denied something: \(operatorLog())")
            process.terminate()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(operatorLog())")
        }
    }

    /// Polls `read` until it returns a non-empty string (a readiness wait, up to 60 s).
    private func waitFor(_ read: () throws -> String) throws -> String {
        for _ in 0..<120 {
            let value = try read().trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty { return value }
            Thread.sleep(forTimeInterval: 0.5)
        }
        return ""
    }
}
