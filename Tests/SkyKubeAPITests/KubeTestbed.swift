import Foundation
import Testing

@testable import SkyKubeAPI

/// The Kubernetes testbed (`eval "$(Tests/testbed/k8s.sh env)"`): a real kube-apiserver.
enum KubeTestbed {
    static let env = ProcessInfo.processInfo.environment
    static var kubeconfig: String? {
        guard let path = env["KUBECONFIG"], FileManager.default.fileExists(atPath: path) else {
            return nil
        }
        return path
    }
    static var available: Bool { kubeconfig != nil }
    static let skipReason: Comment =
        "Kubernetes testbed not configured: run `eval \"$(Tests/testbed/k8s.sh env)\"` (KUBECONFIG unset)"

    static func client(context: String? = nil) async throws -> KubeClient {
        try await KubeClient.connect(kubeconfig: kubeconfig, context: context)
    }

    /// A fresh namespace, deleted by `cleanUp`.
    static func namespace(_ client: KubeClient, _ tag: String) async throws -> String {
        let name = "kapi-\(tag)-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await client.create(Namespace(name: name))
        return name
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    /// Polls `condition` every 50 ms; throws after `timeout` seconds (no wait without a deadline).
    static func until(_ what: String, timeout: Double, _ condition: () async throws -> Bool)
        async throws
    {
        let deadline = Date().addingTimeInterval(timeout)
        while try await !condition() {
            guard Date() < deadline else {
                throw Timeout(description: "gave up waiting for \(what) after \(Int(timeout)) s")
            }
            try await _Concurrency.Task.sleep(for: .milliseconds(50))
        }
    }

    /// The throwaway kind `probes.kapi-test.sky.dev` (namespaced, free-form `data`), created
    /// once and left in place; waits until it is served.
    static func ensureProbeCRD(_ client: KubeClient) async throws {
        let crd = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"probes.kapi-test.sky.dev"},
             "spec":{"group":"kapi-test.sky.dev","scope":"Namespaced",
              "names":{"kind":"Probe","plural":"probes","singular":"probe","listKind":"ProbeList"},
              "versions":[{"name":"v1","served":true,"storage":true,
               "schema":{"openAPIV3Schema":{"type":"object","properties":{
                "data":{"type":"object","additionalProperties":{"type":"string"}}}}}}]}}
            """
        do {
            _ = try await client.rawSend(
                method: "POST", path: ResourceType.customResourceDefinitions.path(namespace: nil),
                body: Data(crd.utf8))
        } catch let error as KubeError where error.code == 409 {}
        try await until("probes.kapi-test.sky.dev to be served", timeout: 60) {
            (try? await client.list(Probe.self, namespace: "default")) != nil
        }
    }
}

/// `probes.kapi-test.sky.dev`: a custom resource only these tests use.
struct Probe: KubeResource {
    static let resourceType = ResourceType(
        group: "kapi-test.sky.dev", version: "v1", kind: "Probe", plural: "probes")
    var apiVersion: String? = "kapi-test.sky.dev/v1"
    var kind: String? = "Probe"
    var metadata: ObjectMeta
    var data: [String: String]?

    init(metadata: ObjectMeta, data: [String: String]? = nil) {
        self.metadata = metadata
        self.data = data
    }
}
