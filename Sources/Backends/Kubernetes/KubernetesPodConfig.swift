/// Merges the user's `config.kubernetes.pod_config` (a Pod-shaped mapping) into a pod
/// manifest the backend built, as SkyPilot does: mappings merge key by key and the user's
/// scalars win; a list of named items (`containers`, `volumes`, `env`, `volumeMounts`, ...)
/// merges the item of the same name (the first container also takes an unnamed user
/// container), other items are appended. The pod's name and the cluster's own labels are
/// kept, so selectors and names keep working whatever the user wrote.
package enum KubernetesPodConfig {
    package static func merge(_ base: [String: Any], with user: [String: Any]) -> [String: Any] {
        var merged = mergeMaps(base, user)
        var metadata = merged["metadata"] as? [String: Any] ?? [:]
        let baseMetadata = base["metadata"] as? [String: Any] ?? [:]
        metadata["name"] = baseMetadata["name"]
        var labels = metadata["labels"] as? [String: Any] ?? [:]
        for (key, value) in baseMetadata["labels"] as? [String: Any] ?? [:]
        where ownedLabels.contains(key) {
            labels[key] = value
        }
        metadata["labels"] = labels
        merged["metadata"] = metadata
        merged["apiVersion"] = base["apiVersion"]
        merged["kind"] = base["kind"]
        return merged
    }

    /// Labels the backend selects on: the user cannot change them.
    static let ownedLabels: Set<String> = [
        "parent", "skypilot-cluster", "skypilot-cluster-name", "ray-cluster-name",
        "ray-node-type", "skypilot-head-node", "component", "sky.dev/cluster", "sky.dev/node-type",
    ]

    static func mergeMaps(_ base: [String: Any], _ user: [String: Any]) -> [String: Any] {
        var out = base
        for (key, value) in user {
            out[key] = mergeValue(out[key], value)
        }
        return out
    }

    static func mergeValue(_ base: Any?, _ user: Any) -> Any {
        if let b = base as? [String: Any], let u = user as? [String: Any] {
            return mergeMaps(b, u)
        }
        if let b = base as? [Any], let u = user as? [Any] {
            return mergeLists(b, u)
        }
        return user
    }

    static func mergeLists(_ base: [Any], _ user: [Any]) -> [Any] {
        var out = base
        for item in user {
            guard let map = item as? [String: Any] else {
                out.append(item)
                continue
            }
            let name = map["name"] as? String
            let index = out.firstIndex { existing in
                guard let existing = existing as? [String: Any] else { return false }
                if let name { return existing["name"] as? String == name }
                // An unnamed user container merges into ours (`ray-node`).
                return existing["name"] as? String == "ray-node"
            }
            if let index, let existing = out[index] as? [String: Any] {
                out[index] = mergeMaps(existing, map)
            } else {
                out.append(map)
            }
        }
        return out
    }
}
