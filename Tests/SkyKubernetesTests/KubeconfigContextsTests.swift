import Foundation
import SkyKubernetes
import SkyRuntime
import Testing

struct KubeconfigContextsTests {
    /// Two files in $KUBECONFIG merge as kubectl merges them: the first current-context and the
    /// first definition of a context win; a missing file is skipped, a broken one gives nil.
    @Test func filesMergeAsKubectlMergesThem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubecfg-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        apiVersion: v1
        kind: Config
        contexts:
        - name: lab
          context: {cluster: lab, user: me, namespace: team-a}
        - name: prod
          context: {cluster: prod, user: me}
        """.write(toFile: dir + "/a", atomically: true, encoding: .utf8)
        try """
        current-context: prod
        contexts:
        - name: lab
          context: {cluster: other, namespace: ignored}
        - name: edge
          context: {cluster: edge, namespace: "007"}
        """.write(toFile: dir + "/b", atomically: true, encoding: .utf8)
        let merged = try #require(
            KubeconfigContexts.load(environment: ["KUBECONFIG": "\(dir)/a:\(dir)/missing:\(dir)/b"])
        )
        #expect(merged.current == "prod")
        #expect(merged.names == ["lab", "prod", "edge"])
        #expect(merged.namespaces == ["lab": "team-a", "edge": "007"])

        try "contexts: [unclosed".write(toFile: dir + "/broken", atomically: true, encoding: .utf8)
        #expect(
            KubeconfigContexts.load(environment: ["KUBECONFIG": "\(dir)/a:\(dir)/broken"]) == nil)
        #expect(
            KubeconfigContexts.load(environment: ["HOME": dir + "/nohome"]) == KubeconfigContexts())
    }

    /// On the test bed's kubeconfig the file reading agrees with kubectl itself.
    @Test(.enabled(if: KubernetesTestbed.available, "Kubernetes testbed not configured"))
    func theTestbedKubeconfigReadsAsKubectlSaysIt() async throws {
        let env = ProcessInfo.processInfo.environment
        let contexts = try #require(KubeconfigContexts.load(environment: env))
        let kubectl = env["KUBECTL"] ?? "kubectl"
        let current = try await ProcessExecution.run(
            [kubectl, "config", "current-context"], environment: env)
        #expect(contexts.current == current.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let names = try await ProcessExecution.run(
            [kubectl, "config", "get-contexts", "-o", "name"], environment: env)
        #expect(
            contexts.names.sorted() == names.stdout.split(separator: "\n").map(String.init).sorted()
        )
        for name in contexts.names {
            let ns = try await ProcessExecution.run(
                [
                    kubectl, "config", "view", "--minify", "--context", name, "-o",
                    "jsonpath={.contexts[0].context.namespace}",
                ],
                environment: env)
            #expect(
                contexts.namespaces[name] ?? ""
                    == ns.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "\(name)")
        }
    }
}
