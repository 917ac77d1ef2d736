import Foundation

/// The first schema violation found, with the field path it concerns.
struct SchemaViolation: Error, Sendable {
    var path: String
    var message: String
    /// Unknown keys (SkyPilot's "Found unsupported field ..."): the path is the unknown key.
    var unknownField: Bool = false
}

/// JSON Schema (draft 7 subset plus SkyPilot's `case_insensitive_enum`) over Python values,
/// with jsonschema's type rules (`bool` is not a number; `1.0` is an integer).
struct SchemaValidator {
    private let regexes = RegexCache.shared
    /// Installed plugin names accepted where the schema lists clouds (`cloud` enums, `infra`).
    var extraBackends: ExtraBackends = .none

    init(extraBackends: ExtraBackends = .none) {
        self.extraBackends = extraBackends
    }

    func validate(_ value: PyValue, _ schema: JSONValue, path: String) -> SchemaViolation? {
        guard case .object = schema else { return nil }
        if let type = schema["type"], !typeMatches(value, type) {
            return SchemaViolation(
                path: path, message: "\(describe(value)) is not of type \(typeText(type))")
        }
        if let v = validateObject(value, schema, path: path) { return v }
        if let v = validateScalar(value, schema, path: path) { return v }
        if let v = validateArray(value, schema, path: path) { return v }
        if case .array(let branches)? = schema["anyOf"] {
            var failures: [SchemaViolation] = []
            for branch in branches {
                guard let failure = validate(value, branch, path: path) else {
                    failures.removeAll()
                    break
                }
                failures.append(failure)
            }
            if !failures.isEmpty { return bestOf(failures, value, branches, path: path) }
        }
        if case .array(let branches)? = schema["oneOf"] {
            var failures: [SchemaViolation] = []
            var passed = 0
            for branch in branches {
                if let failure = validate(value, branch, path: path) {
                    failures.append(failure)
                } else {
                    passed += 1
                }
            }
            if passed == 0 { return bestOf(failures, value, branches, path: path) }
            if passed > 1 {
                return SchemaViolation(
                    path: path,
                    message: "\(describe(value)) is valid under more than one allowed form")
            }
        }
        if case .array(let branches)? = schema["allOf"] {
            for branch in branches {
                if let failure = validate(value, branch, path: path) { return failure }
            }
        }
        if let notSchema = schema["not"], validate(value, notSchema, path: path) == nil {
            return SchemaViolation(path: path, message: "\(describe(value)) is not allowed here")
        }
        return nil
    }

    /// jsonschema's `best_match`: prefer the failure from a branch whose type fits the value.
    private func bestOf(
        _ failures: [SchemaViolation], _ value: PyValue, _ branches: [JSONValue], path: String
    )
        -> SchemaViolation
    {
        for (failure, branch) in zip(failures, branches) where fits(value, branch) {
            return failure
        }
        for (failure, branch) in zip(failures, branches)
        where branch["type"] == nil && failure.path != path {
            return failure
        }
        let types = branches.compactMap { $0["type"] }.map(typeText)
        if types.count == branches.count {
            return SchemaViolation(
                path: path,
                message: "\(describe(value)) is not of type \(types.joined(separator: " or "))")
        }
        return failures.first
            ?? SchemaViolation(path: path, message: "\(describe(value)) is not valid")
    }

    /// Whether a branch is meant for this kind of value (its type, or a nested anyOf's, fits).
    private func fits(_ value: PyValue, _ branch: JSONValue) -> Bool {
        if let type = branch["type"] { return typeMatches(value, type) }
        for key in ["anyOf", "oneOf"] {
            if case .array(let nested)? = branch[key], nested.contains(where: { fits(value, $0) }) {
                return true
            }
        }
        return false
    }

    private func validateObject(_ value: PyValue, _ schema: JSONValue, path: String)
        -> SchemaViolation?
    {
        guard case .dict(let pairs) = value else { return nil }
        if case .array(let required)? = schema["required"] {
            for case .string(let key) in required where value[key] == nil {
                return SchemaViolation(
                    path: path, message: "\(PyNumber.reprString(key)) is a required property")
            }
        }
        if case .int(let maxProps)? = schema["maxProperties"], pairs.count > maxProps {
            return SchemaViolation(
                path: path,
                message: "\(describe(value)) has too many properties (at most \(maxProps))")
        }
        if case .int(let minProps)? = schema["minProperties"], pairs.count < minProps {
            return SchemaViolation(
                path: path, message: "\(describe(value)) does not have enough properties")
        }
        let properties = schema["properties"]
        var patternSchemas: [(String, JSONValue)] = []
        if case .object(let pp)? = schema["patternProperties"] { patternSchemas = pp }
        var unknown: [String] = []
        for (key, child) in pairs {
            let keyText = key.pyStr
            let sub = YAMLReader.childPath(path, keyText)
            var known = false
            if case .str(let k) = key, let propSchema = properties?[k] {
                known = true
                if let v = validate(child, propSchema, path: sub) { return v }
            }
            for (pattern, patSchema) in patternSchemas {
                guard case .str(let k) = key else {
                    return SchemaViolation(
                        path: sub, message: "key \(key.pyRepr) must be a string", unknownField: true
                    )
                }
                if regexes.matches(pattern, k) {
                    known = true
                    if let v = validate(child, patSchema, path: sub) { return v }
                }
            }
            if known { continue }
            switch schema["additionalProperties"] {
            case .bool(false)?:
                unknown.append(keyText)
                if !patternSchemas.isEmpty {
                    return SchemaViolation(
                        path: sub, message: "invalid key \(PyNumber.reprString(keyText))",
                        unknownField: true)
                }
            case .some(let extra) where extra != .bool(true):
                if let v = validate(child, extra, path: sub) { return v }
            default:
                break
            }
        }
        if let first = unknown.first {
            let known =
                properties.flatMap { p -> [String]? in
                    if case .object(let o) = p { return o.map(\.0) }
                    return nil
                } ?? []
            let parts = unknown.map { field -> String in
                if let close = CloseMatch.best(field, among: known) {
                    return
                        "unknown field \(PyNumber.reprString(field)) (did you mean \(PyNumber.reprString(close))?)"
                }
                return "unknown field \(PyNumber.reprString(field))"
            }
            return SchemaViolation(
                path: YAMLReader.childPath(path, first), message: parts.joined(separator: "; "),
                unknownField: true)
        }
        return nil
    }

    private func validateScalar(_ value: PyValue, _ schema: JSONValue, path: String)
        -> SchemaViolation?
    {
        if case .array(let options)? = schema["enum"] {
            if !options.contains(where: { PyValue(json: $0) == value && sameKind($0, value) }) {
                let allowed = options.map { PyValue(json: $0).pyRepr }.joined(separator: ", ")
                return SchemaViolation(
                    path: path, message: "\(value.pyRepr) is not one of [\(allowed)]")
            }
        }
        if case .array(let options)? = schema["case_insensitive_enum"] {
            let allowed = options.compactMap(\.stringValue)
            let isCloudEnum = allowed.contains("aws")
            guard case .str(let s) = value,
                allowed.contains(where: { $0.lowercased() == s.lowercased() })
                    || (isCloudEnum && extraBackends.backend(ofInfra: s) == s.lowercased())
            else {
                var list = allowed.map(PyNumber.reprString).joined(separator: ", ")
                var hint = ""
                if isCloudEnum {
                    let plugins = extraBackends.names.sorted()
                    if !plugins.isEmpty {
                        list += "; installed plugins: " + plugins.joined(separator: ", ")
                    }
                    if case .str(let s) = value { hint = extraBackends.suggestion(for: s) }
                }
                return SchemaViolation(
                    path: path, message: "\(value.pyRepr) is not one of [\(list)]\(hint)")
            }
        }
        if case .str(let s) = value {
            if case .string(let pattern)? = schema["pattern"], !regexes.matches(pattern, s) {
                if Self.isInfraPattern(pattern), extraBackends.backend(ofInfra: s) != nil {
                    return nil
                }
                return SchemaViolation(
                    path: path,
                    message: Self.formatHint(
                        value, pattern: pattern, path: path, extra: extraBackends))
            }
            let length = s.unicodeScalars.count
            if case .int(let minLength)? = schema["minLength"], length < minLength {
                return SchemaViolation(path: path, message: "\(value.pyRepr) is too short")
            }
            if case .int(let maxLength)? = schema["maxLength"], length > maxLength {
                return SchemaViolation(
                    path: path, message: "string is too long (at most \(maxLength) characters)")
            }
        }
        if let number = numericValue(value) {
            if let minimum = schema["minimum"].flatMap(numericJSON), number < minimum {
                return SchemaViolation(
                    path: path,
                    message:
                        "\(value.pyRepr) is less than the minimum of \(PyNumber.formatCount(minimum))"
                )
            }
            if let maximum = schema["maximum"].flatMap(numericJSON), number > maximum {
                return SchemaViolation(
                    path: path,
                    message:
                        "\(value.pyRepr) is greater than the maximum of \(PyNumber.formatCount(maximum))"
                )
            }
            if let bound = schema["exclusiveMinimum"].flatMap(numericJSON), number <= bound {
                return SchemaViolation(
                    path: path,
                    message: "\(value.pyRepr) must be greater than \(PyNumber.formatCount(bound))")
            }
            if let bound = schema["exclusiveMaximum"].flatMap(numericJSON), number >= bound {
                return SchemaViolation(
                    path: path,
                    message: "\(value.pyRepr) must be less than \(PyNumber.formatCount(bound))")
            }
        }
        return nil
    }

    private func validateArray(_ value: PyValue, _ schema: JSONValue, path: String)
        -> SchemaViolation?
    {
        guard case .list(let items) = value else { return nil }
        if case .int(let minItems)? = schema["minItems"], items.count < minItems {
            return SchemaViolation(path: path, message: "\(value.pyRepr) should be non-empty")
        }
        if case .int(let maxItems)? = schema["maxItems"], items.count > maxItems {
            return SchemaViolation(
                path: path, message: "list is too long (at most \(maxItems) items)")
        }
        if case .bool(true)? = schema["uniqueItems"] {
            for i in items.indices {
                for j in items.indices
                where j > i && items[i] == items[j] && sameKind(items[i], items[j]) {
                    return SchemaViolation(
                        path: path, message: "\(value.pyRepr) has non-unique elements")
                }
            }
        }
        switch schema["items"] {
        case .array(let schemas)?:
            for (i, (item, s)) in zip(items, schemas).enumerated() {
                if let v = validate(item, s, path: "\(path)[\(i)]") { return v }
            }
        case .some(let itemSchema):
            for (i, item) in items.enumerated() {
                if let v = validate(item, itemSchema, path: "\(path)[\(i)]") { return v }
            }
        case nil:
            break
        }
        return nil
    }

    /// A readable "wrong format" message for a pattern mismatch.
    static func formatHint(
        _ value: PyValue, pattern: String, path: String, extra: ExtraBackends = .none
    ) -> String {
        if path.hasSuffix("infra") {
            var text =
                "invalid infra \(value.pyRepr): expected cloud[/region[/zone]] (e.g. aws/us-east-1), k8s[/<context>], "
                + "ssh/<pool>, slurm/<cluster>/<partition> or * wildcards; clouds: "
                + InfraSpec.knownClouds.filter { $0 != "kubernetes" }.joined(separator: ", ")
            let plugins = extra.names.sorted()
            if !plugins.isEmpty {
                text += "; installed plugins: " + plugins.joined(separator: ", ")
            }
            if case .str(let s) = value, let first = s.split(separator: "/").first {
                text += extra.suggestion(for: first.trimmingCharacters(in: .whitespaces))
            }
            return text
        }
        if pattern.count <= 60 {
            return "\(value.pyRepr) is not in the expected format \(pattern)"
        }
        return "\(value.pyRepr) is not in the expected format"
    }

    /// The embedded schemas' `infra` pattern (it lists the built-in clouds).
    static func isInfraPattern(_ pattern: String) -> Bool {
        pattern.contains("(?i:(local|aws|")
    }

    private func sameKind(_ a: PyValue, _ b: PyValue) -> Bool {
        if case .bool = a { if case .bool = b { return true } else { return false } }
        if case .bool = b { return false }
        return true
    }

    private func sameKind(_ a: JSONValue, _ b: PyValue) -> Bool {
        sameKind(PyValue(json: a), b)
    }

    private func numericValue(_ v: PyValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }

    private func numericJSON(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    func typeMatches(_ value: PyValue, _ type: JSONValue) -> Bool {
        switch type {
        case .string(let name): return typeMatches(value, name)
        case .array(let names): return names.contains { typeMatches(value, $0) }
        default: return true
        }
    }

    private func typeMatches(_ value: PyValue, _ name: String) -> Bool {
        switch (name, value) {
        case ("string", .str), ("boolean", .bool), ("null", .none), ("object", .dict),
            ("array", .list):
            return true
        case ("number", .int), ("number", .float), ("integer", .int): return true
        case ("integer", .float(let d)): return d.isFinite && d == d.rounded()
        default: return false
        }
    }

    private func typeText(_ type: JSONValue) -> String {
        switch type {
        case .string(let s): return s == "object" ? "'dict'" : PyNumber.reprString(s)
        case .array(let a): return a.map(typeText).joined(separator: " or ")
        default: return "\(type)"
        }
    }

    private func describe(_ value: PyValue) -> String {
        let text = value.pyRepr
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}

/// Compiled regular expressions for schema patterns (built once per validator).
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private var cache: [String: NSRegularExpression] = [:]
    private let lock = NSLock()

    func matches(_ pattern: String, _ text: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let regex: NSRegularExpression
        if let cached = cache[pattern] {
            regex = cached
        } else {
            guard let compiled = try? NSRegularExpression(pattern: pattern) else { return false }
            cache[pattern] = compiled
            regex = compiled
        }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, range: range) != nil
    }
}
