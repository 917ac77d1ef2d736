import Foundation

/// The body of a PATCH, with its content type.
package enum KubePatch: Sendable {
    /// RFC 7386 JSON merge patch (`application/merge-patch+json`).
    case merge(KubeJSON)
    /// RFC 6902 JSON patch (`application/json-patch+json`).
    case json([Operation])
    /// Server-side apply (`application/apply-patch+yaml`): the full intent of `fieldManager`.
    case apply(KubeJSON, fieldManager: String, force: Bool)

    package struct Operation: Codable, Sendable, Hashable {
        package var op: String
        package var path: String
        package var value: KubeJSON?

        package static func add(_ path: String, _ value: KubeJSON) -> Operation {
            Operation(op: "add", path: path, value: value)
        }
        package static func replace(_ path: String, _ value: KubeJSON) -> Operation {
            Operation(op: "replace", path: path, value: value)
        }
        package static func remove(_ path: String) -> Operation {
            Operation(op: "remove", path: path, value: nil)
        }
        /// Fails the whole patch unless the value at `path` equals `value` (optimistic locking).
        package static func test(_ path: String, _ value: KubeJSON) -> Operation {
            Operation(op: "test", path: path, value: value)
        }
    }

    var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }

    /// `/` is written unescaped: API servers compare JSON-patch `test` values textually enough
    /// that `"sky.dev\/teardown"` fails against `"sky.dev/teardown"` (422 on 1.20).
    func body() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        switch self {
        case .merge(let value), .apply(let value, _, _): return try encoder.encode(value)
        case .json(let operations): return try encoder.encode(operations)
        }
    }

    var query: [(String, String)] {
        guard case .apply(_, let manager, let force) = self else { return [] }
        return [("fieldManager", manager)] + (force ? [("force", "true")] : [])
    }
}

extension String {
    /// A JSON pointer token (RFC 6901): `~` → `~0`, `/` → `~1` (label keys like `sky.dev/x`).
    package var jsonPointerEscaped: String {
        replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
