import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

/// `sky check kubernetes` (reference 6.1): per context, the namespace is resolved, pods of
/// the namespace and the cluster's nodes are listed (a 401 says the credentials are invalid,
/// a 403 names the permission that is missing), then the soft GPU checks: GPU nodes without
/// an accelerator-type label get the hint to label them; a cluster without GPUs is CPU-only.
extension KubernetesProvisioner {
    /// One context's result.
    package struct ContextCheck: Sendable, Hashable {
        package var context: String
        package var enabled: Bool
        /// `enabled.` / `disabled. Reason: ...`, as SkyPilot prints each context.
        package var line: String
    }

    /// The contexts to use (each a region): `allowedContexts` when given, else
    /// `kubernetes.allowed_contexts` of the config (the active workspace's first; `all` =
    /// every kubeconfig context), else the current context.
    package func contextsToCheck() async throws(ProvisionError) -> [String] {
        var allowed = allowedContexts
        if allowed == nil {
            let value = try skyConfig([:]).effective(cloud: name, keys: ["allowed_contexts"])
            if value?.stringValue == "all" { return await allContexts() }
            if case .array(let items)? = value { allowed = items.compactMap(\.stringValue) }
        }
        if let allowed, !allowed.isEmpty { return allowed }
        return await currentContext().map { [$0] } ?? []
    }

    /// Every context of the kubeconfig.
    package func allContexts() async -> [String] {
        if let contexts = KubeconfigContexts.load(environment: environment) {
            return contexts.names
        }
        let out = try? await kubectl(context: nil).checked(["config", "get-contexts", "-o", "name"])
        return (out ?? "").split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }

    /// Enabled when at least one context works. The reason's first line sums up; each next
    /// line is one context (`<context>: enabled. ...` / `<context>: disabled. Reason: ...`).
    package func checkCredentials() async -> CredentialCheck {
        let contexts: [String]
        do {
            contexts = try await contextsToCheck()
        } catch {
            return CredentialCheck(enabled: false, reason: error.message)
        }
        guard !contexts.isEmpty else {
            return CredentialCheck(
                enabled: false,
                reason: "No current context in the kubeconfig ($KUBECONFIG or ~/.kube/config); "
                    + "set one with 'kubectl config use-context'.")
        }
        let checks = await withTaskGroup(of: (Int, ContextCheck).self) { group in
            for (index, context) in contexts.enumerated() {
                group.addTask { (index, await self.check(context: context)) }
            }
            var out: [(Int, ContextCheck)] = []
            for await item in group { out.append(item) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let enabled = checks.filter(\.enabled).map(\.context)
        let summary =
            enabled.isEmpty
            ? "No usable Kubernetes context (\(checks.count) checked)."
            : "\(enabled.count) of \(checks.count) context(s) usable: \(enabled.joined(separator: ", "))"
        return CredentialCheck(
            enabled: !enabled.isEmpty,
            reason: ([summary] + checks.map { "\($0.context): \($0.line)" }).joined(separator: "\n")
        )
    }

    package func check(context: String) async -> ContextCheck {
        func disabled(_ reason: String) -> ContextCheck {
            ContextCheck(context: context, enabled: false, line: "disabled. Reason: \(reason)")
        }
        let ns: String
        do {
            ns = try await namespace(context: context, providerConfig: [:])
        } catch {
            return disabled(error.message)
        }
        let k = kubectl(context: context, namespace: ns)
        // Both listings at once: each kubectl costs a process start and a round trip.
        async let podsCall = summary(k, ["get", "pods", "-o", "name", "--request-timeout", "10s"])
        async let nodesCall = summary(
            k, ["get", "nodes", "-o", "json", "--request-timeout", "10s"])
        let pods: CommandResultSummary
        let result: CommandResultSummary
        do {
            pods = try await podsCall
            result = try await nodesCall
        } catch {
            return disabled("\(error)")
        }
        if let problem = Self.accessProblem(pods, verb: "list pods", scope: "namespace \(ns)") {
            return disabled(problem)
        }
        if let problem = Self.accessProblem(result, verb: "list nodes", scope: "the cluster") {
            return disabled(problem)
        }
        let object =
            try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let nodes = object?["items"] as? [[String: Any]] ?? []
        return ContextCheck(
            context: context, enabled: true,
            line: "enabled. Namespace \(ns), \(nodes.count) node(s). " + Self.gpuNote(nodes))
    }

    struct CommandResultSummary {
        var exitCode: Int32
        var stdout: String
        var stderr: String
    }

    private func summary(_ k: Kubectl, _ args: [String]) async throws(KubernetesError)
        -> CommandResultSummary
    {
        let result = try await k.run(args)
        return CommandResultSummary(
            exitCode: result.exitCode, stdout: result.stdout,
            stderr: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A sentence for a failed probe: 401 → invalid credentials, 403 → the missing permission.
    static func accessProblem(_ result: CommandResultSummary, verb: String, scope: String)
        -> String?
    {
        guard result.exitCode != 0 else { return nil }
        let text = result.stderr
        if text.contains("Unauthorized") || text.contains("You must be logged in") {
            return "Invalid credentials: the API server answered 401 Unauthorized to '\(verb)' "
                + "(expired or wrong token/certificate in the kubeconfig)."
        }
        if text.contains("forbidden") || text.contains("Forbidden") {
            let user = text.range(of: #"User "[^"]*""#, options: .regularExpression).map {
                String(text[$0])
            }
            return
                "Missing permission: \(user ?? "this user") cannot \(verb) in \(scope) (403 Forbidden). "
                + "Grant it with a Role/ClusterRole binding."
        }
        let line =
            text.split(separator: "\n").first.map(String.init) ?? "exit code \(result.exitCode)"
        return "Cannot \(verb) in \(scope): \(line)"
    }

    /// GPU nodes, and whether they carry an accelerator-type label (the affinity key).
    package static func gpuNote(_ nodes: [[String: Any]]) -> String {
        var gpuNodes: [String] = []
        var unlabeled: [String] = []
        for node in nodes {
            let metadata = node["metadata"] as? [String: Any] ?? [:]
            let name = metadata["name"] as? String ?? "?"
            let labels = metadata["labels"] as? [String: String] ?? [:]
            let capacity =
                (node["status"] as? [String: Any])?["capacity"] as? [String: String] ?? [:]
            let gpus = KubernetesGPULabels.count(capacity)
            guard gpus > 0 else { continue }
            gpuNodes.append(name)
            if !KubernetesGPULabels.typeKeys.contains(where: { labels[$0] != nil }) {
                unlabeled.append(name)
            }
        }
        if gpuNodes.isEmpty { return "No GPUs (nvidia.com/gpu) on any node: CPU-only." }
        if unlabeled.isEmpty { return "GPU labels present on \(gpuNodes.count) GPU node(s)." }
        return "Hint: GPU node(s) \(unlabeled.joined(separator: ", ")) have no accelerator-type "
            + "label, so GPU requests cannot name a type; label them, e.g. 'kubectl label node "
            + "\(unlabeled[0]) skypilot.co/accelerator=<type>' (or run NVIDIA GPU feature discovery)."
    }
}
