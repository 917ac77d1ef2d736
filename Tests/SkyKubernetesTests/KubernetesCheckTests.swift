import Foundation
import SkyKubernetes
import SkyProvision
import Testing

/// `sky check kubernetes` through `checkCredentials`, against the testbed's API server with
/// good, invalid (401) and under-privileged (403) credentials.
@Suite(
    .serialized,
    .enabled(
        if: KubernetesTestbed.available,
        "Kubernetes testbed with a real node not configured (TESTBED_K8S_KUBELET=1 k8s.sh up; eval its env)"
    ))
struct KubernetesCheckTests {
    let kubectl = Kubectl(environment: KubernetesTestbed.environment)

    /// A kubeconfig for the testbed server with `token` (written to a 0600 file, never argv).
    func kubeconfig(token: String, namespace: String) throws -> String {
        let env = KubernetesTestbed.env
        let ca = try Data(contentsOf: URL(fileURLWithPath: env["K8S_CA_FILE"] ?? ""))
            .base64EncodedString()
        let path =
            NSTemporaryDirectory() + "/skyk8s-check-\(UUID().uuidString.prefix(6)).kubeconfig"
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: bed
              cluster:
                server: \(env["K8S_API_URL"] ?? "")
                certificate-authority-data: \(ca)
            users:
            - name: probe
              user:
                token: \(token)
            contexts:
            - name: probe-ctx
              context:
                cluster: bed
                user: probe
                namespace: \(namespace)
            current-context: probe-ctx

            """
        _ = FileManager.default.createFile(
            atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        return path
    }

    func provisioner(kubeconfig: String) -> KubernetesProvisioner {
        var env = KubernetesTestbed.environment
        env["KUBECONFIG"] = kubeconfig
        return KubernetesProvisioner(environment: env)
    }

    @Test func testbedContextIsEnabledWithItsNodesAndGPUs() async throws {
        let check = await KubernetesProvisioner(environment: KubernetesTestbed.environment)
            .checkCredentials()
        #expect(check.enabled, "\(check.reason ?? "")")
        let lines = (check.reason ?? "").split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[1].hasPrefix("testbed: enabled. Namespace default,"))
        // The fake-GPU node: either labelled or the hint to label it.
        #expect(lines[1].contains("GPU labels present") || lines[1].contains("kubectl label node"))
    }

    @Test func aBadTokenIsInvalidCredentials() async throws {
        let path = try kubeconfig(token: "not-a-valid-token", namespace: "default")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let check = await provisioner(kubeconfig: path).checkCredentials()
        #expect(!check.enabled)
        #expect(
            check.reason?.contains("probe-ctx: disabled. Reason: Invalid credentials") == true,
            "\(check.reason ?? "")")
        #expect(check.reason?.contains("401") == true)
        #expect(check.reason?.contains("not-a-valid-token") == false)
    }

    @Test func missingPermissionsAreNamed() async throws {
        let ns = "skyk8s-rbac-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await kubectl.checked(["create", "namespace", ns])
        defer {
            _Concurrency.Task {
                _ = try? await kubectl.run(["delete", "namespace", ns, "--wait=false"])
            }
        }
        _ = try await kubectl.checked(["-n", ns, "create", "serviceaccount", "probe"])
        // The token controller fills the ServiceAccount's token Secret.
        var token: String?
        for _ in 0..<50 where token == nil {
            let secrets = try await kubectl.items(["-n", ns, "get", "secrets"])
            for secret in secrets
            where (secret["type"] as? String) == "kubernetes.io/service-account-token"
                && ((secret["metadata"] as? [String: Any])?["annotations"] as? [String: String])?[
                    "kubernetes.io/service-account.name"] == "probe"
            {
                if let encoded = (secret["data"] as? [String: String])?["token"],
                    let data = Data(base64Encoded: encoded)
                {
                    token = String(decoding: data, as: UTF8.self)
                }
            }
            if token == nil { try await _Concurrency.Task.sleep(for: .milliseconds(200)) }
        }
        let path = try kubeconfig(token: try #require(token), namespace: ns)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let none = await provisioner(kubeconfig: path).checkCredentials()
        #expect(!none.enabled)
        #expect(
            none.reason?.contains("cannot list pods in namespace \(ns)") == true,
            "\(none.reason ?? "")")
        #expect(none.reason?.contains("system:serviceaccount:\(ns):probe") == true)

        // Pods allowed, nodes not: the node permission is the one named.
        _ = try await kubectl.checked([
            "-n", ns, "create", "role", "pods", "--verb=list,get", "--resource=pods",
        ])
        _ = try await kubectl.checked([
            "-n", ns, "create", "rolebinding", "pods", "--role=pods",
            "--serviceaccount=\(ns):probe",
        ])
        let podsOnly = await provisioner(kubeconfig: path).checkCredentials()
        #expect(!podsOnly.enabled)
        #expect(
            podsOnly.reason?.contains("cannot list nodes in the cluster") == true,
            "\(podsOnly.reason ?? "")")
    }

    @Test func gpuHintForUnlabeledGPUNodes() {
        func node(_ name: String, gpus: String?, labels: [String: String]) -> [String: Any] {
            var capacity: [String: String] = ["cpu": "4"]
            capacity["nvidia.com/gpu"] = gpus
            return [
                "metadata": ["name": name, "labels": labels], "status": ["capacity": capacity],
            ]
        }
        let unlabeled = KubernetesProvisioner.gpuNote([
            node("cpu-1", gpus: nil, labels: [:]),
            node("gpu-1", gpus: "8", labels: ["nvidia.com/gpu.present": "true"]),
        ])
        #expect(unlabeled.contains("gpu-1"))
        #expect(unlabeled.contains("kubectl label node gpu-1 skypilot.co/accelerator=<type>"))
        let labeled = KubernetesProvisioner.gpuNote([
            node("gpu-1", gpus: "8", labels: ["nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"])
        ])
        #expect(labeled == "GPU labels present on 1 GPU node(s).")
        #expect(
            KubernetesProvisioner.gpuNote([node("c", gpus: nil, labels: [:])]).contains("CPU-only"))
    }
}
