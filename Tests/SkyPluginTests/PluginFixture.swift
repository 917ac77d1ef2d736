import Foundation
import SkyProvision
import Synchronization

/// A temp directory with plugin executables, and the repository's example plugins.
struct PluginFixture {
    let root: String
    let lines = LogLines()

    init(tag: String) throws {
        root = "/tmp/sky-plugin-\(tag)-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(
            atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: root + "/sky", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: root + "/home", withIntermediateDirectories: true)
    }

    static var repoRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    static var inventoryPlugin: String {
        repoRoot + "/plugins/python-inventory/sky-provisioner-inventory"
    }

    /// Writes an executable `sky-provisioner-<name>` with `body`.
    @discardableResult
    func script(_ name: String, _ body: String, executable: Bool = true, dir: String = "bin") throws
        -> String
    {
        let path = root + "/\(dir)/sky-provisioner-\(name)"
        try FileManager.default.createDirectory(
            atPath: root + "/\(dir)", withIntermediateDirectories: true)
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: path)
        return path
    }

    /// A Python plugin whose handshake succeeds and whose other methods run `methods`
    /// (Python statements with `msg` in scope; `reply(result)` answers).
    @discardableResult
    func python(_ name: String, handshakeVersion: Int = 1, methods: String) throws -> String {
        try script(
            name,
            """
            #!/usr/bin/env python3
            import json, sys, time
            def send(o):
                sys.stdout.write(json.dumps(o) + "\\n"); sys.stdout.flush()
            for line in sys.stdin:
                msg = json.loads(line)
                def reply(result, msg=msg):
                    send({"id": msg["id"], "result": result})
                if msg.get("method") == "handshake":
                    reply({"protocolVersion": \(handshakeVersion), "name": "\(name)", "capabilities": ["multiNode"]})
                    continue
                if msg.get("id") is None:
                    continue
            \(methods.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """)
    }

    func host(_ name: String, path: String, environment: [String: String] = [:]) -> PluginHost {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let lines = self.lines
        return PluginHost(name: name, path: path, environment: env, log: { lines.append($0) })
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }

    /// Whether a line matching `match` arrives within `seconds`: stderr is read apart from
    /// stdout, so a plugin's log line may land after the response that followed it.
    func arrives(within seconds: Double = 10, _ match: (String) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if all.contains(where: match) { return true }
            try? await _Concurrency.Task.sleep(for: .milliseconds(20))
        }
        return all.contains(where: match)
    }
}
