import Foundation
import SkyCore
import SkyProvision

/// Task-derived settings (`Provisioner.providerConfig`): what a task's resources and its
/// `config.kubernetes` section ask of this backend, as the string map every later call sees.
extension KubernetesProvisioner {
    /// `kubernetes.ports` modes (reference 6.1); `loadbalancer` is the default.
    package static let portModes = ["loadbalancer", "nodeport", "podip"]

    /// Keys: `image_id` (`docker:<image>`), `pod_config` (JSON object), `namespace`,
    /// `provision_timeout` (seconds), `ports` (mode).
    package func providerConfig(resources: Resources, taskConfig: JSONValue?)
        throws(ProvisionError) -> [String: String]
    {
        var out: [String: String] = [:]
        if let image = Self.imageID(resources) { out["image_id"] = image }
        guard let section = taskConfig?["kubernetes"], section != .null else { return out }
        guard case .object = section else {
            throw .invalidConfig("config.kubernetes must be a mapping (got \(section.encoded())).")
        }
        if let podConfig = section["pod_config"], podConfig != .null {
            guard case .object = podConfig else {
                throw .invalidConfig(
                    "config.kubernetes.pod_config must be a mapping shaped like a Pod "
                        + "(metadata, spec); got \(podConfig.encoded()).")
            }
            out["pod_config"] = podConfig.encoded()
        }
        if let namespace = section["namespace"], namespace != .null {
            guard let name = namespace.stringValue, Self.isDNSLabel(name) else {
                throw .invalidConfig(
                    "config.kubernetes.namespace must be a namespace name (lower-case letters, "
                        + "digits and '-'); got \(namespace.encoded()).")
            }
            out["namespace"] = name
        }
        if let timeout = section["provision_timeout"], timeout != .null {
            let seconds: Double? =
                switch timeout {
                case .int(let i): Double(i)
                case .double(let d): d
                case .string(let s): Double(s)
                default: nil
                }
            guard let seconds, seconds > 0 || seconds == -1 else {
                throw .invalidConfig(
                    "config.kubernetes.provision_timeout must be a number of seconds "
                        + "(or -1 for no limit); got \(timeout.encoded()).")
            }
            out["provision_timeout"] = KubernetesPodSpec.quantity(seconds)
        }
        if let ports = section["ports"], ports != .null {
            guard let mode = ports.stringValue?.lowercased(), Self.portModes.contains(mode) else {
                throw .invalidConfig(
                    "config.kubernetes.ports must be one of \(Self.portModes.joined(separator: ", ")); "
                        + "got \(ports.encoded()).")
            }
            out["ports"] = mode
        }
        return out
    }

    /// `docker:<image>` from the resources' `image_id` (the `docker` key, the region's entry,
    /// the region-less entry), or nil.
    static func imageID(_ resources: Resources) -> String? {
        if let docker = resources.dockerImage, !docker.isEmpty { return "docker:" + docker }
        let value = resources.imageID[resources.region] ?? resources.imageID[nil]
            ?? resources.imageID.values.sorted().first
        guard let value, !value.isEmpty else { return nil }
        return value.hasPrefix("docker:") ? value : "docker:" + value
    }

    static func isDNSLabel(_ name: String) -> Bool {
        name.count <= 63 && name.wholeMatch(of: /[a-z0-9]([-a-z0-9]*[a-z0-9])?/) != nil
    }

    /// The user's `pod_config` as a JSON object, or nil.
    static func podConfig(_ providerConfig: [String: String]) throws(ProvisionError)
        -> [String: Any]?
    {
        guard let text = providerConfig["pod_config"], !text.isEmpty else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else {
            throw .invalidConfig("config.kubernetes.pod_config is not a JSON/YAML mapping.")
        }
        return object
    }
}
