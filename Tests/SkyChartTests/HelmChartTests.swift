import Foundation
import Testing

/// charts/sky-operator with real Helm (lint, template) and the rendered manifests on the real
/// API server, including what its ServiceAccount may and may not do.
@Suite(
    "Helm chart charts/sky-operator", .enabled(if: HelmTestbed.available, HelmTestbed.skipReason))
struct HelmChartTests {
    /// Every optional part switched on: namespaced RBAC, an external kubeconfig, credentials.
    static let fullValues = #"""
        {"replicaCount":2,"operator":{"watchNamespace":"team-a","kubeconfig":{"secretName":"kc","context":"prod"},
        "extraArgs":["--verbose"]},"credentials":{"sshNodePools":{"secretName":"pools"},
        "kubernetesBackend":{"secretName":"kube-backend"},"envFromSecrets":["aws-credentials"],
        "files":[{"secretName":"gcp-sa","mountPath":"/etc/sky/gcp"}]}}
        """#

    @Test("helm lint --strict passes with the default values and with every option set")
    func lintStrict() throws {
        let defaults = try HelmTestbed.lint()
        #expect(defaults.status == 0, "\(defaults.output)")
        #expect(defaults.stdout.contains("1 chart(s) linted, 0 failed"))
        let full = try HelmTestbed.lint(setJSON: Self.fullValues)
        #expect(full.status == 0, "\(full.output)")
    }

    @Test(
        "values.schema.json rejects misspelled keys and wrongly typed values",
        arguments: [
            (#"{"operatr":{"watchNamespace":"a"}}"#, "operatr"),
            (#"{"operator":{"healthPort":"8081x"}}"#, "/operator/healthPort"),
            (#"{"credentials":{"files":[{"secretName":"gcp"}]}}"#, "mountPath"),
            (#"{"image":{"pullPolicy":"Sometimes"}}"#, "/image/pullPolicy"),
        ])
    func badValuesRejected(values: String, named: String) throws {
        let result = try HelmTestbed.lint(setJSON: values)
        #expect(result.status != 0, "accepted \(values): \(result.output)")
        #expect(result.output.contains(named), "\(result.output)")
    }

    @Test("the Deployment passes the operator flags from values and probes /healthz and /readyz")
    func deploymentArguments() throws {
        let out = try HelmTestbed.template(
            release: "sky", namespace: "sky-system", setJSON: Self.fullValues)
        let lines = out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func argument(after flag: String) -> String? {
            guard let i = lines.firstIndex(of: "- \(flag)"), i + 1 < lines.count else { return nil }
            return lines[i + 1].dropFirst(2).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
        }
        #expect(argument(after: "--namespace") == "team-a")
        #expect(argument(after: "--leader-election-namespace") == "sky-system")
        #expect(argument(after: "--leader-election-id") == "sky-operator")
        #expect(argument(after: "--health-port") == "8081")
        #expect(argument(after: "--metrics-port") == "8080")
        #expect(argument(after: "--sky-home") == "/var/lib/sky")
        #expect(argument(after: "--resync-seconds") == "300")
        #expect(argument(after: "--identity") == "$(POD_NAME)")
        #expect(argument(after: "--kubeconfig") == "/etc/sky/operator-kubeconfig/config")
        #expect(argument(after: "--context") == "prod")
        #expect(lines.contains("path: /healthz") && lines.contains("path: /readyz"))
        #expect(lines.contains("- \"--verbose\""))
        // Credentials only by reference to Secrets.
        #expect(lines.contains("secretName: pools") && lines.contains("secretName: gcp-sa"))
        #expect(lines.contains("name: \"aws-credentials\""))
        // Defaults: all namespaces (no --namespace flag), in-cluster config (no --kubeconfig).
        let defaults = try HelmTestbed.template(release: "sky", namespace: "sky-system")
        #expect(!defaults.contains("- --namespace") && !defaults.contains("- --kubeconfig"))
        #expect(defaults.contains("kind: ClusterRole\n"))
        #expect(
            !out.contains("kind: ClusterRole\n"),
            "a watched namespace should get a Role, not a ClusterRole")
    }

    @Test(
        "helm template output applies to the API server",
        .enabled(if: KubeTestbed.available, KubeTestbed.skipReason))
    func templateApplies() throws {
        try KubeTestbed.ensureCRDs()
        try KubeTestbed.withNamespace("skychart-helm") { ns in
            // Namespaced RBAC in a second namespace, every option on: the server must accept it all.
            try KubeTestbed.withNamespace("skychart-team") { team in
                let full = Self.fullValues.replacingOccurrences(of: "team-a", with: team)
                let manifests = try HelmTestbed.template(
                    release: "full", namespace: ns, setJSON: full)
                let dry = try KubeTestbed.kubectl(
                    ["apply", "--dry-run=server", "-f", "-"], stdin: manifests)
                #expect(dry.status == 0, "\(dry.output)")
            }
            let release = "r" + ns.suffix(8)
            defer {
                _ = try? KubeTestbed.kubectl([
                    "delete", "clusterrole,clusterrolebinding", "-l",
                    "app.kubernetes.io/instance=\(release)",
                ])
            }
            // replicaCount 0: the image is not on the test node; everything else is real.
            let manifests = try HelmTestbed.template(
                release: release, namespace: ns, setJSON: #"{"replicaCount":0}"#)
            let apply = try KubeTestbed.kubectl(["apply", "-f", "-"], stdin: manifests)
            #expect(apply.status == 0, "\(apply.output)")
            for object in [
                "deployment/\(release)-sky-operator", "serviceaccount/\(release)-sky-operator",
                "service/\(release)-sky-operator-metrics",
                "role/\(release)-sky-operator-leader-election",
                "rolebinding/\(release)-sky-operator-leader-election",
            ] {
                let get = try KubeTestbed.kubectl(["get", object, "-n", ns])
                #expect(get.status == 0, "\(object): \(get.output)")
            }
            let role = try KubeTestbed.kubectl(["get", "clusterrole/\(release)-sky-operator"])
            #expect(role.status == 0, "\(role.output)")
        }
    }

    @Test(
        "the chart's ServiceAccount can do what the operator needs and nothing more",
        .enabled(if: KubeTestbed.available, KubeTestbed.skipReason))
    func leastPrivilege() throws {
        try KubeTestbed.ensureCRDs()
        try KubeTestbed.withNamespace("skychart-rbac") { ns in
            let release = "r" + ns.suffix(8)
            defer {
                _ = try? KubeTestbed.kubectl([
                    "delete", "clusterrole,clusterrolebinding", "-l",
                    "app.kubernetes.io/instance=\(release)",
                ])
            }
            let manifests = try HelmTestbed.template(
                release: release, namespace: ns, setJSON: #"{"replicaCount":0}"#)
            let apply = try KubeTestbed.kubectl(["apply", "-f", "-"], stdin: manifests)
            try #require(apply.status == 0, "\(apply.output)")
            let account = "system:serviceaccount:\(ns):\(release)-sky-operator"
            func can(_ verb: String, _ resource: String, in namespace: String = ns) throws -> Bool {
                let r = try KubeTestbed.kubectl([
                    "auth", "can-i", verb, resource, "--as", account, "-n", namespace,
                ])
                return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "yes"
            }
            let allowed: [(String, String)] = [
                ("watch", "skyclusters.sky.dev"), ("list", "skyjobs.sky.dev"),
                ("get", "skyservices.sky.dev"),
                ("create", "skyclusters.sky.dev"), ("delete", "skyclusters.sky.dev"),
                ("patch", "skyjobs.sky.dev"),
                ("update", "skyclusters.sky.dev/status"), ("patch", "skyjobs.sky.dev/status"),
                ("patch", "skyservices.sky.dev/status"),
                ("update", "skyclusters.sky.dev/finalizers"),
                ("update", "skyjobs.sky.dev/finalizers"),
                ("create", "events"), ("patch", "events"), ("get", "secrets"),
                ("create", "leases.coordination.k8s.io"),
                ("get", "leases.coordination.k8s.io/sky-operator"),
                ("update", "leases.coordination.k8s.io/sky-operator"),
            ]
            for (verb, resource) in allowed {
                #expect(try can(verb, resource), "cannot \(verb) \(resource)")
            }
            // All namespaces by default: the sky.dev kinds in another namespace too.
            #expect(try can("list", "skyclusters.sky.dev", in: "default"))
            let denied: [(String, String)] = [
                ("list", "pods"), ("create", "pods"), ("list", "secrets"), ("watch", "secrets"),
                ("delete", "secrets"),
                ("create", "secrets"), ("update", "secrets"), ("delete", "skyjobs.sky.dev"),
                ("create", "skyjobs.sky.dev"),
                ("delete", "events"), ("list", "events"),
                ("update", "leases.coordination.k8s.io/other-lease"),
                ("delete", "leases.coordination.k8s.io/sky-operator"),
                ("create", "deployments.apps"),
                ("get", "configmaps"), ("create", "customresourcedefinitions.apiextensions.k8s.io"),
            ]
            for (verb, resource) in denied {
                #expect(try !can(verb, resource), "can \(verb) \(resource)")
            }
            // The Lease only in the leader-election namespace.
            #expect(try !can("create", "leases.coordination.k8s.io", in: "default"))
        }
    }
}
