import Foundation
import SkyRuntime

/// The transport of the Kubernetes backend: the `kubectl` binary (from `$KUBECTL`, else
/// `kubectl` on `PATH`) run through Foundation `Process` with argument arrays and JSON output
/// (`-o json`). Credentials stay in the kubeconfig (`$KUBECONFIG` or `~/.kube/config`); they
/// never appear in argv, logs or errors. (An in-process API client is future work.)
package struct Kubectl: Sendable {
    /// The kubectl executable (absolute path or a name looked up on PATH).
    package let binary: String
    /// Kubeconfig context; nil = the current context.
    package let context: String?
    /// Namespace of namespaced calls; nil = the context's namespace.
    package let namespace: String?
    /// Environment of every kubectl run (carries `KUBECONFIG`).
    package let environment: [String: String]

    package init(
        context: String? = nil, namespace: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.binary = Self.binary(in: environment)
        self.context = context
        self.namespace = namespace
        self.environment = environment
    }

    /// `$KUBECTL` when set, else `kubectl` (found on PATH).
    package static func binary(in environment: [String: String]) -> String {
        if let path = environment["KUBECTL"], !path.isEmpty { return path }
        return "kubectl"
    }

    /// The global flags selecting context and namespace.
    package var globalArguments: [String] {
        var args: [String] = []
        if let context { args += ["--context", context] }
        if let namespace { args += ["--namespace", namespace] }
        return args
    }

    /// Runs `kubectl <global flags> args...`; returns the raw result (no exit-code check).
    package func run(_ args: [String], stdin: Data? = nil) async throws(KubernetesError)
        -> CommandResult
    {
        do {
            return try await ProcessExecution.run(
                [binary] + globalArguments + args, environment: environment, stdin: stdin)
        } catch {
            throw .kubectlMissing("\(error)")
        }
    }

    /// Runs and requires exit code 0; returns stdout.
    package func checked(_ args: [String], stdin: Data? = nil) async throws(KubernetesError)
        -> String
    {
        let result = try await run(args, stdin: stdin)
        guard result.exitCode == 0 else {
            throw .kubectlFailed(
                command: (["kubectl"] + args.prefix(3)).joined(separator: " "),
                detail: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result.stdout
    }

    /// Runs with `-o json` and parses the output as a JSON object.
    package func json(_ args: [String]) async throws(KubernetesError) -> [String: Any] {
        let out = try await checked(args + ["-o", "json"])
        guard let data = out.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw .badResponse("kubectl \(args.first ?? "") -o json printed no JSON object")
        }
        return object
    }

    /// `items` of a list call.
    package func items(_ args: [String]) async throws(KubernetesError) -> [[String: Any]] {
        (try await json(args))["items"] as? [[String: Any]] ?? []
    }

    /// A copy using another context / namespace.
    package func with(context: String?, namespace: String?) -> Kubectl {
        Kubectl(context: context, namespace: namespace, environment: environment)
    }
}
