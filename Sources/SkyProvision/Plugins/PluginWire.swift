import Foundation
import SkyCore

/// Constants and message framing of the plugin protocol (plugins/PROTOCOL.md).
public enum PluginWire {
    /// Protocol versions this host speaks, newest first.
    public static let supportedVersions = [1]
    /// Set in the child's environment; a plugin run by hand without it prints a hint and exits.
    public static let magicKey = "SKY_PLUGIN_MAGIC"
    public static let magicValue = "sky-provisioner-plugin-v1-7d1c2f"
    /// Executable name prefix (`sky-provisioner-<name>`).
    public static let executablePrefix = "sky-provisioner-"

    /// One request line.
    static func request(id: Int, method: String, params: JSONValue) -> String {
        JSONValue.object([("id", .int(id)), ("method", .string(method)), ("params", params)])
            .encoded(sortedKeys: false)
    }

    /// One notification line (no id).
    static func notification(method: String, params: JSONValue) -> String {
        JSONValue.object([("method", .string(method)), ("params", params)])
            .encoded(sortedKeys: false)
    }

    /// A Codable value as a JSON value.
    static func value<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValue.parse(JSONEncoder().encode(value))
    }

    /// A JSON value decoded as `T`.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONDecoder().decode(type, from: Data(value.encoded().utf8))
    }
}
