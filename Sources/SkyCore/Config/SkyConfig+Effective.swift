/// Per-workspace and per-context values (`skypilot_config.get_effective_workspace_region_config`):
/// the active workspace's cloud section first (`workspaces.<ws>.<cloud>`), then the top level;
/// in each, the per-context entry (`<cloud>.context_configs.<context>` for `kubernetes` and
/// `ssh`, `<cloud>.region_configs.<region>` for `nebius` and `oci`) before the cloud-wide
/// value. For Kubernetes a mapping value (`pod_config`) is the cloud-wide one with the
/// per-context one merged in.
extension SkyConfig {
    /// The effective value of `<cloud>.<keys...>` for `region` (a Kubernetes context), or nil.
    public func effective(cloud: String, keys: [String], region: String? = nil) -> JSONValue? {
        if let workspace = value(at: ["workspaces", activeWorkspace]),
            let found = Self.cloudValue(in: workspace, cloud: cloud, keys: keys, region: region)
        {
            return found
        }
        return Self.cloudValue(in: value, cloud: cloud, keys: keys, region: region)
    }

    /// The key of a cloud's per-region sections, nil for clouds without them.
    public static func regionKey(cloud: String) -> String? {
        switch cloud {
        case "kubernetes", "ssh": "context_configs"
        case "nebius", "oci": "region_configs"
        default: nil
        }
    }

    static func cloudValue(in root: JSONValue, cloud: String, keys: [String], region: String?)
        -> JSONValue?
    {
        var perRegion: JSONValue?
        if let region, let regionKey = regionKey(cloud: cloud) {
            perRegion = lookup(root, [cloud, regionKey, region] + keys)
        }
        let general = lookup(root, [cloud] + keys)
        if cloud == "kubernetes", let general, let perRegion, case .object = general,
            case .object = perRegion
        {
            return mergeKubernetes(general, with: perRegion)
        }
        return perRegion ?? general
    }
}
