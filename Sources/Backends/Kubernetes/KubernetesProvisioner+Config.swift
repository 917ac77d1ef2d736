import Foundation
import SkyCore
import SkyProvision

/// Task-derived settings (`Provisioner.providerConfig`): what a task's resources and its
/// `config.kubernetes` section ask of this backend, as the string map every later call sees.
extension KubernetesProvisioner {
    /// `kubernetes.ports` modes (reference 6.1); `loadbalancer` is the default.
    package static let portModes = ["loadbalancer", "ingress", "podip", "nodeport"]

    /// Keys: `image_id` (`docker:<image>`) and `config`: the `kubernetes` part of the merged
    /// config the engine passes as `taskConfig` (user + project config with the task's
    /// `config:` on top), kept with the cluster so each context's settings (namespace,
    /// pod_config, ports, provision_timeout) resolve the same way on every later call.
    /// Throws when a value is invalid (the message names the key path).
    package func providerConfig(resources: Resources, taskConfig: JSONValue?)
        throws(ProvisionError) -> [String: String]
    {
        var out: [String: String] = [:]
        if let image = Self.imageID(resources) { out["image_id"] = image }
        guard let taskConfig, taskConfig != .null else { return out }
        guard case .object = taskConfig else {
            throw .invalidConfig("config must be a mapping (got \(taskConfig.encoded())).")
        }
        let config: SkyConfig
        do {
            config = try SkyConfig.empty.overlaid(task: taskConfig, source: "config")
        } catch {
            throw .invalidConfig(error.description)
        }
        if let retained = KubernetesSettings.retained(config) {
            out["config"] = retained.encoded()
        }
        return out
    }

    /// `docker:<image>` from the resources' `image_id` (the `docker` key, the region's entry,
    /// the region-less entry), or nil.
    static func imageID(_ resources: Resources) -> String? {
        if let docker = resources.dockerImage, !docker.isEmpty { return "docker:" + docker }
        let value =
            resources.imageID[resources.region] ?? resources.imageID[nil]
            ?? resources.imageID.values.sorted().first
        guard let value, !value.isEmpty else { return nil }
        return value.hasPrefix("docker:") ? value : "docker:" + value
    }

    /// The user's `pod_config` as a JSON object, or nil.
    static func podConfig(_ settings: KubernetesSettings) throws(ProvisionError) -> [String: Any]? {
        guard let podConfig = settings.podConfig else { return nil }
        guard case .object = podConfig,
            let object = try? JSONSerialization.jsonObject(with: Data(podConfig.encoded().utf8))
                as? [String: Any]
        else {
            throw .invalidConfig(
                "kubernetes.pod_config must be a mapping shaped like a Pod (metadata, spec); "
                    + "got \(podConfig.encoded()).")
        }
        return object
    }
}
