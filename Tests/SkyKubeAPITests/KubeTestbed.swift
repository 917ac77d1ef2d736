import Foundation
import Testing
@testable import SkyKubeAPI

/// The Kubernetes testbed (`eval "$(Tests/testbed/k8s.sh env)"`): a real kube-apiserver.
enum KubeTestbed {
    static let env = ProcessInfo.processInfo.environment
    static var kubeconfig: String? {
        guard let path = env["KUBECONFIG"], FileManager.default.fileExists(atPath: path) else { return nil }
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
}
