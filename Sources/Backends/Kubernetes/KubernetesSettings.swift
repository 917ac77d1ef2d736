import Foundation
import SkyCore
import SkyProvision

/// The `kubernetes` settings in effect for one cluster in one context (reference 6.1): an
/// explicit `providerConfig` key (`namespace`, `pod_config`, `provision_timeout`, `ports`, as
/// recorded once the cluster runs) wins; otherwise the layered config (the launch's merged
/// config kept in `providerConfig["config"]`, else the backend's own user + project config)
/// answers with SkyPilot's precedence: the active workspace's section before the top level,
/// `kubernetes.context_configs.<context>.<key>` before `kubernetes.<key>`.
package struct KubernetesSettings: Sendable {
    /// nil: the kubeconfig context's namespace, else `default`.
    package var namespace: String?
    /// The user's Pod-shaped mapping (`pod_config`), cloud-wide and per-context merged.
    package var podConfig: JSONValue?
    /// Seconds; -1 = no limit; nil = the default for the node count.
    package var provisionTimeout: Double?
    /// `loadbalancer` (default), `ingress`, `podip` or `nodeport`.
    package var portMode: String
    /// `custom_metadata` (labels / annotations for the objects created besides pods).
    package var customMetadata: JSONValue?

    /// The context of SkyPilot's local kind cluster, where ports always go through an Ingress.
    package static let localKindContext = "kind-skypilot"

    package init(providerConfig: [String: String], config: SkyConfig, context: String?) {
        func effective(_ key: String) -> JSONValue? {
            config.effective(cloud: "kubernetes", keys: [key], region: context)
        }
        if let ns = providerConfig["namespace"], !ns.isEmpty {
            namespace = ns
        } else {
            namespace = effective("namespace")?.stringValue
        }
        if let text = providerConfig["pod_config"], !text.isEmpty {
            podConfig = try? JSONValue.parse(Data(text.utf8))
        } else {
            podConfig = effective("pod_config")
        }
        if let text = providerConfig["provision_timeout"], let seconds = Double(text) {
            provisionTimeout = seconds
        } else {
            provisionTimeout =
                switch effective("provision_timeout") {
                case .int(let i): Double(i)
                case .double(let d): d
                default: nil
                }
        }
        // SkyPilot forces ingress on its local kind cluster (`sky local up`).
        portMode =
            context == Self.localKindContext
            ? "ingress"
            : (providerConfig["ports"] ?? effective("ports")?.stringValue ?? "loadbalancer")
                .lowercased()
        customMetadata = effective("custom_metadata")
    }

    /// The part of a merged config the backend keeps with a cluster (`providerConfig
    /// ["config"]`): `kubernetes`, the active workspace's `kubernetes` and its name.
    package static func retained(_ config: SkyConfig) -> JSONValue? {
        var pairs: [(String, JSONValue)] = []
        if let k8s = config.value(at: ["kubernetes"]) { pairs.append(("kubernetes", k8s)) }
        let workspace = config.activeWorkspace
        if let k8s = config.value(at: ["workspaces", workspace, "kubernetes"]) {
            pairs.append(("active_workspace", .string(workspace)))
            pairs.append(("workspaces", .object([(workspace, .object([("kubernetes", k8s)]))])))
        }
        return pairs.isEmpty ? nil : .object(pairs)
    }

    /// `custom_metadata.labels` / `.annotations` as string maps.
    package func metadata(_ key: String) -> [String: String] {
        guard case .object(let pairs)? = customMetadata?[key] else { return [:] }
        var out: [String: String] = [:]
        for (name, value) in pairs {
            switch value {
            case .string(let s): out[name] = s
            case .null: continue
            default: out[name] = value.encoded()
            }
        }
        return out
    }
}
