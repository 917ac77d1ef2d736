import Foundation
import Testing

/// The Kubernetes test bed (`Tests/testbed/k8s.sh`: a real kube-apiserver) as the tests use it:
/// kubectl with the bed's kubeconfig, namespaces created per test, raw API calls with curl.
enum KubeTestbed {
    static let environment = ProcessInfo.processInfo.environment

    /// Set by `eval "$(Tests/testbed/k8s.sh env)"` (marker K8S_API_URL, plus KUBECONFIG).
    static let available: Bool = {
        guard environment["K8S_API_URL"] != nil, let config = environment["KUBECONFIG"] else {
            return false
        }
        return FileManager.default.fileExists(atPath: config)
            && FileManager.default.isExecutableFile(atPath: kubectlPath)
    }()

    static let skipReason: Comment =
        "needs the Kubernetes test bed: run `Tests/testbed/k8s.sh up` and `eval \"$(Tests/testbed/k8s.sh env)\"`"

    static var kubectlPath: String {
        if let path = environment["KUBECTL"] { return path }
        for dir in (environment["PATH"] ?? "/usr/bin").split(separator: ":")
        where
            FileManager.default.isExecutableFile(atPath: "\(dir)/kubectl")
        {
            return "\(dir)/kubectl"
        }
        return "/usr/bin/kubectl"
    }

    @discardableResult
    static func kubectl(_ arguments: [String], stdin: String? = nil) throws -> Command.Result {
        try Command.run(kubectlPath, arguments, stdin: stdin)
    }

    /// A fresh namespace; `body` runs in it and the namespace is deleted afterwards.
    static func withNamespace<T>(_ prefix: String, _ body: (String) throws -> T) throws -> T {
        let name = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        let created = try kubectl(["create", "namespace", name])
        guard created.status == 0 else {
            throw TestbedError.failed("create namespace \(name)", created.output)
        }
        defer { deleteNamespace(name) }
        return try body(name)
    }

    /// Deletes a test namespace; finalizers left on sky.dev objects (an operator stopped
    /// mid-teardown) are dropped first so the namespace never stays Terminating.
    static func deleteNamespace(_ name: String) {
        let objects =
            (try? kubectl(["get", "skyclusters,skyjobs,skyservices", "-n", name, "-o", "name"]))?
            .stdout ?? ""
        for object in objects.split(separator: "\n") {
            _ = try? kubectl([
                "patch", String(object), "-n", name, "--type=merge", "-p",
                #"{"metadata":{"finalizers":null}}"#,
            ])
        }
        _ = try? kubectl(["delete", "namespace", name, "--wait=false"])
    }

    /// Installs crds/ once per test run and waits until the API server serves and publishes them.
    static func ensureCRDs() throws {
        if let failure = crdInstall { throw TestbedError.failed("install crds/", failure) }
    }

    private static let crdInstall: String? = {
        do {
            let apply = try kubectl(["apply", "-f", Repo.crds])
            guard apply.status == 0 else { return apply.output }
            let wait = try kubectl([
                "wait", "--for", "condition=established", "--timeout=60s",
                "crd/skyclusters.sky.dev", "crd/skyjobs.sky.dev", "crd/skyservices.sky.dev",
            ])
            guard wait.status == 0 else { return wait.output }
            // kubectl validates against the server's published OpenAPI, which follows a CRD
            // change a moment later: wait until the current schema's fields are visible there.
            for _ in 0..<60 {
                let explain = try kubectl(["explain", "skyclusters.spec.task.resources"])
                if explain.status == 0, explain.stdout.contains("   gpus\t") { return nil }
                Thread.sleep(forTimeInterval: 0.5)
            }
            return "the CRD schema was not published in the API server's OpenAPI"
        } catch {
            return "\(error)"
        }
    }()

    /// A merge patch on a subresource (kubectl 1.20 has no --subresource), with the bed's token.
    static func patchStatus(_ plural: String, namespace: String, name: String, json: String) throws
        -> Command.Result
    {
        guard let api = environment["K8S_API_URL"] else {
            throw TestbedError.failed("K8S_API_URL", "not set")
        }
        var arguments = [
            "-sS", "--fail-with-body", "-X", "PATCH", "-H",
            "Content-Type: application/merge-patch+json",
            "--data-binary", "@-",
        ]
        if let ca = environment["K8S_CA_FILE"] { arguments += ["--cacert", ca] }
        // The bearer token goes in a curl config file, never on the command line.
        let config = FileManager.default.temporaryDirectory.appendingPathComponent(
            "curl-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: config) }
        if let token = environment["K8S_TOKEN"] {
            try "header = \"Authorization: Bearer \(token)\"\n".write(
                toFile: config, atomically: true, encoding: .utf8)
            arguments += ["--config", config]
        }
        return try Command.run(
            "/usr/bin/curl", arguments + [url(api, plural, namespace, name)], stdin: json)
    }

    private static func url(_ api: String, _ plural: String, _ namespace: String, _ name: String)
        -> String
    {
        "\(api)/apis/sky.dev/v1alpha1/namespaces/\(namespace)/\(plural)/\(name)/status"
    }
}

enum TestbedError: Error, CustomStringConvertible {
    case failed(String, String)

    var description: String {
        switch self {
        case .failed(let what, let output): return "\(what) failed: \(output)"
        }
    }
}
