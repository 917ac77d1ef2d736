import Foundation

/// Free-form JSON inside typed objects (a custom resource's `spec.task`, unknown fields).
package enum KubeJSON: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case int(Int)
    case string(String)
    case array([KubeJSON])
    case object([String: KubeJSON])

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([KubeJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: KubeJSON].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    package subscript(key: String) -> KubeJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Compact JSON text with sorted keys (stable: usable to compare two specs).
    package func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Any Encodable as KubeJSON (for patches built from typed values).
    package static func from<T: Encodable>(_ value: T) throws -> KubeJSON {
        let data = try JSONEncoder().encode(value)
        return try JSONDecoder().decode(KubeJSON.self, from: data)
    }
}

extension KubeJSON {
    /// The RFC 7386 merge patch that turns `old` into `new`: changed keys, removed keys as
    /// null, nested objects diffed recursively, anything else replaced whole.
    package static func mergePatch(from old: KubeJSON?, to new: KubeJSON) -> KubeJSON {
        guard case .object(let oldFields)? = old, case .object(let newFields) = new else {
            return new
        }
        var patch: [String: KubeJSON] = [:]
        for (key, value) in newFields where oldFields[key] != value {
            patch[key] = mergePatch(from: oldFields[key], to: value)
        }
        for key in oldFields.keys where newFields[key] == nil {
            patch[key] = .null
        }
        return .object(patch)
    }
}
