import SkyCore

/// Translates SkyPilot's task JSON schemas (draft 7 plus `case_insensitive_enum`) into the
/// structural OpenAPI v3 subset a CustomResourceDefinition accepts (Kubernetes 1.16+):
///
/// - every node has one `type`, except `x-kubernetes-int-or-string` (integer | string) and
///   `x-kubernetes-preserve-unknown-fields` nodes (any JSON), used where SkyPilot accepts
///   several types (`anyOf` / `oneOf` / `type: [..]` are flattened into typed branches);
/// - keywords that only apply to one JSON type (`pattern`, `minimum`, `maxItems`, ...) are
///   hoisted from a mixed node's branch to the node itself, where they still only apply to
///   that type, and so are a map branch's `properties` / `additionalProperties` and a list
///   branch's `items`; a mixed node that accepts no array / no object gets `maxItems: 0` /
///   `maxProperties: 0`, so the API server still rejects a list or a map there;
/// - `case_insensitive_enum` becomes a `(?i:...)` pattern (Go RE2 syntax), a string `enum` in a
///   mixed node becomes an anchored pattern;
/// - `additionalProperties: false` is dropped (unknown fields are pruned by the API server and
///   rejected by strict field validation / kubectl's schema validation), `true` becomes
///   `x-kubernetes-preserve-unknown-fields`, `patternProperties` become `additionalProperties`
///   (the key pattern itself cannot be expressed);
/// - `uniqueItems`, `$schema`, `format` and `default` are dropped (the task must stay as pasted).
///
/// Cloud names (`cloud` enums, `infra` patterns) are left open: provisioner plugins add names
/// at run time, so the operator's own validation checks them.
struct StructuralSchema {
    func translate(_ schema: JSONValue, name: String = "") -> JSONValue {
        let branches = flatten(schema)
        var description: String?
        if case .string(let d)? = schema["description"] { description = d }
        return combine(branches, name: name, description: description)
    }

    // MARK: - Branches

    /// One alternative of a node, with at most one concrete type ("any" when untyped).
    private struct Branch {
        var type: String
        var schema: JSONValue
    }

    private func flatten(_ schema: JSONValue) -> [Branch] {
        guard case .object = schema else { return [Branch(type: "any", schema: .object([]))] }
        for key in ["anyOf", "oneOf"] {
            if case .array(let alternatives)? = schema[key] {
                return alternatives.flatMap(flatten)
            }
        }
        switch schema["type"] {
        case .string(let type)?:
            return [Branch(type: type, schema: schema)]
        case .array(let types)?:
            return types.compactMap(\.stringValue).map { type in
                Branch(type: type, schema: replacing(schema, "type", with: .string(type)))
            }
        default:
            return [Branch(type: "any", schema: schema)]
        }
    }

    private func combine(_ branches: [Branch], name: String, description: String?) -> JSONValue {
        let nullable = branches.contains { $0.type == "null" }
        var groups: [String: [Branch]] = [:]
        for branch in branches where branch.type != "null" {
            let key =
                branch.type == "integer" && branches.contains(where: { $0.type == "number" })
                ? "number" : branch.type
            groups[key, default: []].append(branch)
        }
        var node: [(String, JSONValue)] = []
        if let description { node.append(("description", .string(description))) }
        let types = Set(groups.keys)
        if types.contains("any") || types.isEmpty {
            node.append(("x-kubernetes-preserve-unknown-fields", .bool(true)))
        } else if types.count == 1, let type = types.first, let group = groups[type] {
            node +=
                group.count == 1
                ? typed(group[0].schema, type: type, name: name) : loose(type)
        } else {
            if types == ["integer", "string"] {
                node.append(("x-kubernetes-int-or-string", .bool(true)))
            } else {
                node.append(("x-kubernetes-preserve-unknown-fields", .bool(true)))
                if !types.contains("array") { node.append(("maxItems", .int(0))) }
                if !types.contains("object") { node.append(("maxProperties", .int(0))) }
            }
            for type in ["string", "integer", "number"] {
                guard let group = groups[type], group.count == 1 else { continue }
                node += scalarKeywords(group[0].schema, type: type, name: name, mixed: true)
            }
            // Object and list keywords only apply to maps and lists: a mixed node still checks
            // its map branch's fields (`autostop: {wait_for: ..}`) and its list's items.
            if let group = groups["object"], group.count == 1 {
                node += objectKeywords(group[0].schema).filter {
                    $0.0 != "x-kubernetes-preserve-unknown-fields"
                }
            }
            if let group = groups["array"], group.count == 1 {
                node += arrayKeywords(group[0].schema)
            }
        }
        if nullable { node.append(("nullable", .bool(true))) }
        return sorted(node)
    }

    // MARK: - Typed nodes

    private func typed(_ schema: JSONValue, type: String, name: String) -> [(String, JSONValue)] {
        var node: [(String, JSONValue)] = [("type", .string(type))]
        switch type {
        case "object": node += objectKeywords(schema)
        case "array": node += arrayKeywords(schema)
        default: node += scalarKeywords(schema, type: type, name: name, mixed: false)
        }
        return node
    }

    private func arrayKeywords(_ schema: JSONValue) -> [(String, JSONValue)] {
        var node: [(String, JSONValue)] = [
            ("items", schema["items"].map { translate($0) } ?? preserve)
        ]
        for key in ["minItems", "maxItems"] { if let v = schema[key] { node.append((key, v)) } }
        return node
    }

    /// Several alternatives of one type (rare): accept any value of that type.
    private func loose(_ type: String) -> [(String, JSONValue)] {
        switch type {
        case "object":
            return [("type", .string(type)), ("x-kubernetes-preserve-unknown-fields", .bool(true))]
        case "array": return [("type", .string(type)), ("items", preserve)]
        default: return [("type", .string(type))]
        }
    }

    private var preserve: JSONValue {
        .object([("x-kubernetes-preserve-unknown-fields", .bool(true))])
    }

    private func objectKeywords(_ schema: JSONValue) -> [(String, JSONValue)] {
        var node: [(String, JSONValue)] = []
        let additional = schema["additionalProperties"]
        var patternSchemas: [JSONValue] = []
        if case .object(let pairs)? = schema["patternProperties"] {
            patternSchemas = pairs.map(\.1)
        }
        if case .object(let properties)? = schema["properties"], !properties.isEmpty {
            node.append(
                ("properties", .object(properties.map { ($0.0, translate($0.1, name: $0.0)) })))
            if additional == .bool(true) || !patternSchemas.isEmpty || additional?.isSchema == true
            {
                node.append(("x-kubernetes-preserve-unknown-fields", .bool(true)))
            }
        } else if patternSchemas.count == 1, additional == nil || additional == .bool(false) {
            node.append(("additionalProperties", translate(patternSchemas[0])))
        } else if let additional, additional.isSchema, patternSchemas.isEmpty {
            node.append(("additionalProperties", translate(additional)))
        } else if additional != .bool(false) || !patternSchemas.isEmpty {
            node.append(("x-kubernetes-preserve-unknown-fields", .bool(true)))
        }
        if case .array(let required)? = schema["required"], !required.isEmpty {
            node.append(("required", .array(required)))
        }
        for key in ["minProperties", "maxProperties"] {
            if let v = schema[key] { node.append((key, v)) }
        }
        if let not = schema["not"], onlyRequired(not) { node.append(("not", not)) }
        return node
    }

    /// `not` / `anyOf` of `required` lists only (valid value validation in a structural schema).
    private func onlyRequired(_ schema: JSONValue) -> Bool {
        guard case .object(let pairs) = schema else { return false }
        return pairs.allSatisfy { key, value in
            switch key {
            case "required": return true
            case "anyOf", "allOf", "oneOf":
                guard case .array(let items) = value else { return false }
                return items.allSatisfy(onlyRequired)
            default: return false
            }
        }
    }

    /// String and number keywords; in a mixed node enums become patterns (enum is not typed).
    private func scalarKeywords(_ schema: JSONValue, type: String, name: String, mixed: Bool)
        -> [(String, JSONValue)]
    {
        var node: [(String, JSONValue)] = []
        switch type {
        case "string":
            let cloudNames = isCloudEnum(schema)
            if case .array(let options)? = schema["case_insensitive_enum"], !cloudNames {
                node.append(("pattern", .string("^(?i:" + alternation(options) + ")$")))
            } else if case .array(let options)? = schema["enum"], !cloudNames {
                node.append(
                    mixed
                        ? ("pattern", .string("^(?:" + alternation(options) + ")$"))
                        : ("enum", .array(options)))
            } else if case .string(let pattern)? = schema["pattern"], name != "infra" {
                node.append(("pattern", .string(pattern)))
            }
            for key in ["minLength", "maxLength"] {
                if let v = schema[key] { node.append((key, v)) }
            }
        case "integer", "number":
            for key in ["minimum", "maximum", "multipleOf"] {
                if let v = schema[key] { node.append((key, v)) }
            }
            // draft 7's numeric exclusive bounds are OpenAPI 3.0's boolean flags plus a bound.
            for (key, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
                guard let v = schema[key] else { continue }
                if case .bool = v {
                    node.append((key, v))
                } else {
                    node += [(bound, v), (key, .bool(true))]
                }
            }
        default: break
        }
        return node
    }

    /// SkyPilot's cloud list (the schema validator widens it with installed plugins).
    private func isCloudEnum(_ schema: JSONValue) -> Bool {
        let options =
            (schema["case_insensitive_enum"] ?? schema["enum"]).flatMap { value -> [JSONValue]? in
                if case .array(let items) = value { return items }
                return nil
            } ?? []
        return options.contains(.string("aws")) && options.contains(.string("gcp"))
    }

    private func alternation(_ options: [JSONValue]) -> String {
        options.compactMap(\.stringValue).map(Self.escapeRegex).joined(separator: "|")
    }

    static func escapeRegex(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\.+*?()|[]{}^$".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    // MARK: - Helpers

    private func replacing(_ schema: JSONValue, _ key: String, with value: JSONValue) -> JSONValue {
        guard case .object(let pairs) = schema else { return schema }
        return .object(pairs.map { $0.0 == key ? ($0.0, value) : $0 })
    }

    private func sorted(_ node: [(String, JSONValue)]) -> JSONValue {
        .object(node.sorted { $0.0 < $1.0 })
    }
}

extension JSONValue {
    /// A schema object (as opposed to the booleans `true` / `false`).
    fileprivate var isSchema: Bool {
        if case .object = self { return true }
        return false
    }
}
