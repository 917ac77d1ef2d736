import Foundation

/// A method handler: returns any Encodable result (use `[String: String]()` for `{}`).
public typealias PluginMethod = @Sendable (PluginCall) async throws -> any Encodable & Sendable

/// Runs a provisioner plugin: answers `handshake` and `shutdown`, dispatches every other
/// request to `methods` concurrently (each in its own task; `cancel` cancels it), logs to
/// stderr. Returns the exit status. A plugin is then:
///
///     @main struct Main { static func main() async {
///         exit(await PluginServer(name: "acme", capabilities: ["multiNode"], methods: [
///             "checkCredentials": { _ in ["enabled": true] }, ...]).serve())
///     } }
public struct PluginServer: Sendable {
    public static let protocolVersion = 1
    public static let magic = "sky-provisioner-plugin-v1-7d1c2f"

    public var name: String
    public var version: String
    public var capabilities: [String]
    public var methods: [String: PluginMethod]

    public init(
        name: String, version: String = "0.1.0", capabilities: [String] = [],
        methods: [String: PluginMethod]
    ) {
        self.name = name
        self.version = version
        self.capabilities = capabilities
        self.methods = methods
    }

    public static func log(_ message: String) {
        try? FileHandle.standardError.write(contentsOf: Data((message + "\n").utf8))
    }

    public func serve() async -> Int32 {
        guard ProcessInfo.processInfo.environment["SKY_PLUGIN_MAGIC"] == Self.magic else {
            Self.log(
                "This is a Sky provisioner plugin; sky runs it. Put it on $SKY_PLUGIN_PATH, ~/.sky/plugins or PATH and run 'sky check'."
            )
            return 1
        }
        // Ctrl-C reaches sky, which forwards it as `cancel` notifications.
        signal(SIGINT, SIG_IGN)
        let output = PluginOutput(fd: STDOUT_FILENO)
        let running = RunningCalls()
        while let line = readLine() {
            if !handle(line, output: output, running: running) { return 0 }
        }
        await running.waitAll()
        return 0
    }

    /// Serves one connection of a listening plugin (`fd` a connected socket): blocks the
    /// calling thread until the peer closes it or asks for `shutdown` (which ends this
    /// connection only), then waits for its calls and closes `fd`.
    public func serve(connection fd: Int32) {
        let output = PluginOutput(fd: fd)
        let running = RunningCalls()
        var reader = PluginLineReader(fd: fd)
        while let line = reader.next() {
            if !handle(line, output: output, running: running) { break }
        }
        let done = DispatchSemaphore(value: 0)
        Task {
            await running.waitAll()
            done.signal()
        }
        done.wait()
        close(fd)
    }

    /// Answers one request line; false after `shutdown`.
    private func handle(_ line: String, output: PluginOutput, running: RunningCalls) -> Bool {
        guard let data = line.data(using: .utf8),
            let message = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let method = message["method"] as? String
        else {
            if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                Self.log("ignoring a line that is not a request")
            }
            return true
        }
        let params = (message["params"] as? [String: Any]) ?? [:]
        guard let id = message["id"] as? Int else {
            if method == "cancel", let target = params["id"] as? Int { running.cancel(target) }
            return true
        }
        switch method {
        case "handshake":
            let offered = params["protocolVersions"] as? [Int] ?? []
            guard offered.contains(Self.protocolVersion) else {
                fail(
                    output, id,
                    PluginFailure(
                        code: "unsupported", message: "\(name) speaks protocol version 1 only"))
                return true
            }
            output.send([
                "id": id,
                "result": [
                    "protocolVersion": Self.protocolVersion, "name": name, "version": version,
                    "capabilities": capabilities,
                ],
            ])
        case "ping":
            output.send(["id": id, "result": [String: String]()])
        case "shutdown":
            output.send(["id": id, "result": [String: String]()])
            return false
        default:
            guard let handler = methods[method] else {
                fail(
                    output, id,
                    PluginFailure(
                        code: "unsupported", message: "\(name) does not implement '\(method)'"))
                return true
            }
            let paramsData =
                (try? JSONSerialization.data(withJSONObject: params)) ?? Data("{}".utf8)
            let call = PluginCall(id: id, method: method, params: paramsData, output: output)
            running.start(id) {
                do {
                    let result = try await handler(call)
                    output.send(id: id, encodedResult: try JSONEncoder().encode(result))
                } catch let failure as PluginFailure {
                    fail(output, id, failure)
                } catch {
                    fail(output, id, PluginFailure(code: "internal", message: "\(error)"))
                }
            }
        }
        return true
    }

    private func fail(_ output: PluginOutput, _ id: Int, _ failure: PluginFailure) {
        output.send([
            "id": id,
            "error": [
                "code": failure.code, "message": failure.message, "retryable": failure.retryable,
            ],
        ])
    }
}

/// In-flight calls by request id.
final class RunningCalls: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Int: Task<Void, Never>] = [:]

    func start(_ id: Int, _ body: @escaping @Sendable () async -> Void) {
        lock.lock()
        defer { lock.unlock() }
        tasks[id] = Task { [weak self] in
            await body()
            self?.finish(id)
        }
    }

    func cancel(_ id: Int) {
        lock.lock()
        let task = tasks.removeValue(forKey: id)
        lock.unlock()
        task?.cancel()
    }

    private func finish(_ id: Int) {
        lock.lock()
        tasks.removeValue(forKey: id)
        lock.unlock()
    }

    private func snapshot() -> [Task<Void, Never>] {
        lock.withLock { Array(tasks.values) }
    }

    func waitAll() async {
        for task in snapshot() { await task.value }
    }
}
