import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One request from sky: its id, method and params (a JSON object).
public struct PluginCall: Sendable {
    public let id: Int
    public let method: String
    /// The `params` object as JSON text.
    public let params: Data
    let output: PluginOutput

    /// Decodes `params` (or one key of it) as `T`.
    public func decode<T: Decodable>(_ type: T.Type, key: String? = nil) throws -> T {
        guard let key else { return try JSONDecoder().decode(type, from: params) }
        let object = try JSONSerialization.jsonObject(with: params) as? [String: Any] ?? [:]
        guard let value = object[key] else {
            throw PluginFailure(code: "invalidConfig", message: "missing parameter '\(key)'")
        }
        let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
        return try JSONDecoder().decode(type, from: data)
    }

    /// Sends a `progress` notification the user sees.
    public func progress(_ message: String) {
        output.send(["method": "progress", "params": ["id": id, "message": message]])
    }
}

/// An error reply: `code` is one of credentials, quota, capacity, invalidConfig, notFound,
/// unsupported, internal (plugins/PROTOCOL.md).
public struct PluginFailure: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var retryable: Bool

    public init(code: String, message: String, retryable: Bool = false) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }

    public var description: String { "\(code): \(message)" }
}

/// Serialised writes of protocol lines to stdout (or a listening plugin's connection).
final class PluginOutput: @unchecked Sendable {
    private let lock = NSLock()
    private let fd: Int32

    init(fd: Int32) {
        self.fd = fd
    }

    func send(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return }
        writeLine(data + Data("\n".utf8))
    }

    func send(id: Int, encodedResult: Data) {
        writeLine(Data("{\"id\":\(id),\"result\":".utf8) + encodedResult + Data("}\n".utf8))
    }

    /// The whole line or, when the peer is gone, nothing more.
    private func writeLine(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, base + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
