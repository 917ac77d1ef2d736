import Foundation

/// `Resources._set_volumes`: cloud volumes with their defaults filled in.
enum VolumeSpecs {
    static func normalize(_ value: PyValue, path: String) throws(FieldError) -> [JSONValue] {
        guard case .list(let items) = value else {
            throw FieldError(path, "volumes must be a list")
        }
        var result: [JSONValue] = []
        for (i, item) in items.enumerated() {
            let itemPath = "\(path)[\(i)]"
            guard case .dict(var pairs) = item else {
                throw FieldError(itemPath, "invalid volume \(item.pyRepr): must be a mapping")
            }
            func get(_ key: String) -> PyValue? { pairs.first(where: { $0.0 == .str(key) })?.1 }
            func put(_ key: String, _ v: PyValue) {
                if let j = pairs.firstIndex(where: { $0.0 == .str(key) }) {
                    pairs[j].1 = v
                } else {
                    pairs.append((.str(key), v))
                }
            }
            guard get("path") != nil else {
                throw FieldError(
                    itemPath, "invalid volume \(item.pyRepr): a volume must have a \"path\" field")
            }
            if case .str(let type)? = get("storage_type") {
                put(
                    "storage_type",
                    .str(
                        ["network", "instance"].contains(type.lowercased())
                            ? type.lowercased() : "network"))
            } else if get("storage_type") == nil {
                put("storage_type", .str("network"))
            }
            if get("auto_delete") == nil { put("auto_delete", .bool(false)) }
            if case .str(let mode)? = get("attach_mode") {
                put(
                    "attach_mode",
                    .str(
                        ["read_only", "read_write"].contains(mode.lowercased())
                            ? mode.lowercased() : "read_write"))
            } else if get("attach_mode") == nil {
                put("attach_mode", .str("read_write"))
            }
            let isNetwork = get("storage_type") == .str("network")
            if isNetwork {
                if let size = get("disk_size") {
                    switch size {
                    case .int: break
                    case .float(let d) where d == d.rounded(): break
                    default:
                        throw FieldError(
                            YAMLReader.childPath(itemPath, "disk_size"),
                            "volume size must be an integer; got \(size.pyRepr)")
                    }
                }
                guard get("name") != nil else {
                    throw FieldError(
                        itemPath,
                        "network volume \(get("path")?.pyStr ?? "") must have a \"name\" field")
                }
            } else {
                pairs.removeAll { $0.0 == .str("name") }
            }
            if case .str(let tier)? = get("disk_tier") {
                let lower = tier.lowercased()
                put(
                    "disk_tier",
                    .str(
                        ["low", "medium", "high", "ultra", "best"].contains(lower) ? lower : "best")
                )
            } else if get("disk_tier") == nil, isNetwork {
                put("disk_tier", .str("best"))
            }
            result.append(PyValue.dict(pairs).json)
        }
        return result
    }
}

/// The JSON schemas SkyPilot validates task files against (parsed once).
enum TaskSchemas {
    static let all: JSONValue = (try? JSONValue.parse(Data(TaskSchemaData.json.utf8))) ?? .null
    static let task: JSONValue = all["task"] ?? .null
    static let resources: JSONValue = all["resources"] ?? .null
    static let storage: JSONValue = all["storage"] ?? .null
    static let service: JSONValue = all["service"] ?? .null
    static let taskConfig: JSONValue = task["properties"]?["config"] ?? .null
}
