/// SkyPilot's merge rules (`config_utils._recursive_update` / `merge_k8s_configs`):
/// - mappings merge key by key, the higher layer's keys win; lists and scalars are replaced;
/// - under a `kubernetes` mapping, `pod_config` and `custom_metadata` merge the Kubernetes way:
///   lists are appended, except `containers` / `imagePullSecrets` (the first items merge) and
///   the lists Kubernetes patches by a key (`volumes`, `env`, ... by `name`), merged item by
///   item.
extension SkyConfig {
    /// List fields whose items Kubernetes merges by a key (strategic merge patch).
    static let patchMergeKeys: [String: String] = [
        "initContainers": "name", "ephemeralContainers": "name", "volumes": "name",
        "volumeMounts": "name", "resourceClaims": "name", "env": "name", "hostAliases": "ip",
        "topologySpreadConstraints": "topologyKey", "ports": "containerPort",
        "volumeDevices": "devicePath",
    ]

    /// `base` with `override` laid over it (`_recursive_update`).
    static func overlay(_ base: JSONValue, with override: JSONValue) -> JSONValue {
        layer(base, with: override) { key -> Merge? in
            key == "kubernetes" ? { overlayKubernetes($0, with: $1) } : nil
        }
    }

    /// A `kubernetes` section over another: `pod_config` / `custom_metadata` merge the
    /// Kubernetes way, the rest as `overlay`.
    static func overlayKubernetes(_ base: JSONValue, with override: JSONValue) -> JSONValue {
        layer(base, with: override) { key -> Merge? in
            key == "pod_config" || key == "custom_metadata"
                ? { mergeKubernetes($0, with: $1) } : nil
        }
    }

    typealias Merge = (JSONValue, JSONValue) -> JSONValue

    /// Mappings key by key: a key `special` names is merged its own way, other mappings
    /// `overlay`, anything else replaced. Not two mappings: `override` wins.
    private static func layer(
        _ base: JSONValue, with override: JSONValue,
        special: (String) -> Merge?
    ) -> JSONValue {
        guard case .object(var pairs) = base, case .object(let overrides) = override else {
            return override
        }
        for (key, value) in overrides {
            guard let index = pairs.firstIndex(where: { $0.0 == key }) else {
                pairs.append((key, value))
                continue
            }
            let existing = pairs[index].1
            if let merge = special(key) {
                pairs[index].1 = merge(existing, value)
            } else if case .object = existing, case .object = value {
                pairs[index].1 = overlay(existing, with: value)
            } else {
                pairs[index].1 = value
            }
        }
        return .object(pairs)
    }

    /// `merge_k8s_configs`: mappings merge, lists append (or merge by key), scalars replace.
    public static func mergeKubernetes(_ base: JSONValue, with override: JSONValue) -> JSONValue {
        guard case .object(var pairs) = base, case .object(let overrides) = override else {
            return override
        }
        for (key, value) in overrides {
            guard let index = pairs.firstIndex(where: { $0.0 == key }) else {
                pairs.append((key, value))
                continue
            }
            let existing = pairs[index].1
            switch (existing, value) {
            case (.object, .object):
                pairs[index].1 = mergeKubernetes(existing, with: value)
            case (.array(var items), .array(let extra)):
                if key == "containers" || key == "imagePullSecrets" {
                    if let first = extra.first, !items.isEmpty {
                        items[0] = mergeKubernetes(items[0], with: first)
                    } else {
                        items += extra
                    }
                } else if let mergeKey = patchMergeKeys[key] {
                    for item in extra {
                        if let name = item[mergeKey], name != .null,
                            let at = items.firstIndex(where: { $0[mergeKey] == name })
                        {
                            items[at] = mergeKubernetes(items[at], with: item)
                        } else {
                            items.append(item)
                        }
                    }
                } else {
                    items += extra
                }
                pairs[index].1 = .array(items)
            default:
                pairs[index].1 = value
            }
        }
        return .object(pairs)
    }
}
