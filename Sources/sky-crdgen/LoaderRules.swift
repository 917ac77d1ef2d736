import SkyCore

/// What SkyCore's task loader does before it applies SkyPilot's schema, mirrored in the CRD so
/// that the API server accepts every task `sky validate` accepts.
enum LoaderRules {
    /// `resources`: `gpus` is an alias of `accelerators` (also in `any_of` / `ordered` entries),
    /// and null values are dropped before validation.
    static func resources(_ node: JSONValue) -> JSONValue {
        var top = withGPUsAlias(node)
        top = mapProperties(top) { key, value in
            guard key == "any_of" || key == "ordered", case .object(var array) = value,
                let i = array.firstIndex(where: { $0.0 == "items" })
            else { return value }
            array[i].1 = withGPUsAlias(array[i].1)
            return .object(array)
        }
        return mapProperties(top) { _, value in nullable(value) }
    }

    /// The schema with `nullable: true` added (a `key:` with no value is the same as no key).
    /// Only for scalars: the API server publishes a nullable node to kubectl without its type
    /// and fields, so a nullable map or list would lose kubectl's unknown-field check inside it.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var pairs) = schema, !pairs.contains(where: { $0.0 == "nullable" }),
            schema["type"] != .string("object"), schema["type"] != .string("array")
        else { return schema }
        pairs.append(("nullable", .bool(true)))
        return .object(pairs.sorted { $0.0 < $1.0 })
    }

    private static func withGPUsAlias(_ node: JSONValue) -> JSONValue {
        guard case .object(var pairs) = node,
            let i = pairs.firstIndex(where: { $0.0 == "properties" }),
            case .object(var properties) = pairs[i].1,
            let accelerators = properties.first(where: { $0.0 == "accelerators" })?.1,
            !properties.contains(where: { $0.0 == "gpus" })
        else { return node }
        properties.append(("gpus", accelerators))
        properties.sort { $0.0 < $1.0 }
        pairs[i].1 = .object(properties)
        return .object(pairs)
    }

    private static func mapProperties(
        _ node: JSONValue, _ transform: (String, JSONValue) -> JSONValue
    ) -> JSONValue {
        guard case .object(var pairs) = node,
            let i = pairs.firstIndex(where: { $0.0 == "properties" }),
            case .object(let properties) = pairs[i].1
        else { return node }
        pairs[i].1 = .object(properties.map { ($0.0, transform($0.0, $0.1)) })
        return .object(pairs)
    }
}
