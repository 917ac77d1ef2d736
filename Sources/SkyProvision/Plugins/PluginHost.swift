import Foundation
import SkyCore

/// One long-lived child process speaking the plugin protocol: newline-delimited JSON on
/// stdin/stdout, requests with ids (calls may overlap), a deadline per call, `progress`
/// notifications, `cancel` on task cancellation, stderr forwarded to `log`. A child that
/// crashes, hangs or prints garbage fails the pending calls with a `PluginError` naming it;
/// the next call starts a fresh child. A host made with `socketPath` talks to a plugin that
/// already runs and listens on a unix socket instead: one connection, whose closing counts as
/// the child's exit.
public actor PluginHost {
    public nonisolated let name: String
    public nonisolated let path: String
    /// Arguments after `path` (none for a `sky-provisioner-NAME` found on disk).
    public nonisolated let arguments: [String]
    /// The unix socket of a listening plugin (then no child is started).
    public nonisolated let socketPath: String?
    private let environment: [String: String]
    private let log: @Sendable (String) -> Void
    private let onProgress: (@Sendable (String, String) -> Void)?

    private var process: ChildProcess?
    /// The connection to a listening plugin.
    private var socket: PluginSocket?
    /// The read ends of the child's stdout and stderr: held here, or they close on release.
    private var readers: [FileHandle] = []
    private var stdin: FileHandle?
    private var nextID = 1
    /// Calls awaiting their reply; `report`: the calling task's `ProvisionProgress.current`.
    private var pending:
        [Int: (
            method: String, continuation: CheckedContinuation<JSONValue, any Error>,
            report: ProvisionProgress?
        )] = [:]
    private var stderrTail: [String] = []
    private var handshakeResult: PluginHandshake?
    private var generation = 0

    /// `log` receives the child's stderr lines (prefixed with the plugin name);
    /// `onProgress(method, message)` the `progress` notifications (without it, the calling
    /// task's `ProvisionProgress.current` gets each call's messages).
    public init(
        name: String, path: String, arguments: [String] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        log: @escaping @Sendable (String) -> Void = {
            try? FileHandle.standardError.write(contentsOf: Data(($0 + "\n").utf8))
        },
        onProgress: (@Sendable (String, String) -> Void)? = nil
    ) {
        self.name = name
        self.path = path
        self.arguments = arguments
        self.socketPath = nil
        self.environment = environment
        self.log = log
        self.onProgress = onProgress
    }

    /// A host for the plugin listening on `socketPath` (connected on the first call).
    public init(
        name: String, socketPath: String,
        onProgress: (@Sendable (String, String) -> Void)? = nil
    ) {
        self.name = name
        self.path = socketPath
        self.arguments = []
        self.socketPath = socketPath
        self.environment = [:]
        self.log = { _ in }
        self.onProgress = onProgress
    }

    /// The handshake reply, starting the child (and handshaking) when needed.
    public func handshake(deadline: Double = 10) async throws(PluginError) -> PluginHandshake {
        if let handshakeResult, childRunning { return handshakeResult }
        try start()
        let params = JSONValue.object([
            ("protocolVersions", .array(PluginWire.supportedVersions.map { .int($0) })),
            ("host", .string("sky")),
        ])
        let reply = try await send("handshake", params: params, deadline: deadline)
        let result: PluginHandshake
        do {
            result = try PluginWire.decode(PluginHandshake.self, from: reply)
        } catch {
            stop()
            throw .badReply(plugin: name, method: "handshake", reason: "\(error)")
        }
        guard PluginWire.supportedVersions.contains(result.protocolVersion) else {
            stop()
            throw .unsupportedVersion(
                plugin: name, path: path, offered: [result.protocolVersion],
                supported: PluginWire.supportedVersions)
        }
        handshakeResult = result
        return result
    }

    /// Calls `method` (handshaking first when needed) and returns its `result`.
    public func call(_ method: String, params: JSONValue = .object([]), deadline: Double)
        async throws(PluginError) -> JSONValue
    {
        _ = try await handshake()
        return try await send(method, params: params, deadline: deadline)
    }

    /// Asks the child to exit (`shutdown`), then closes its stdin and terminates it.
    public func shutdown() async {
        if childRunning, handshakeResult != nil {
            do {
                _ = try await send("shutdown", params: .object([]), deadline: 2)
            } catch {
                // No answer: the plugin is stuck; SIGTERM may be blocked in it, so kill it.
                process?.signalGroup(SIGKILL)
            }
        }
        stop()
    }

    public var isRunning: Bool { childRunning }
    public var processID: Int32? { process?.pid }
    private var childRunning: Bool {
        socketPath != nil ? socket != nil : process.map { $0.exitCode == nil } ?? false
    }

    // MARK: Transport

    private func send(_ method: String, params: JSONValue, deadline: Double)
        async throws(PluginError) -> JSONValue
    {
        guard stdin != nil || socket != nil else {
            throw .crashed(plugin: name, path: path, status: nil, stderrTail: tail)
        }
        let id = nextID
        nextID += 1
        let line = PluginWire.request(id: id, method: method, params: params) + "\n"
        let name = self.name
        let report = ProvisionProgress.current
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    pending[id] = (method, continuation, report)
                    guard write(Data(line.utf8)) else {
                        failAll(.crashed(plugin: name, path: path, status: nil, stderrTail: tail))
                        return
                    }
                    let generation = self.generation
                    _Concurrency.Task { [weak self] in
                        try? await _Concurrency.Task.sleep(for: .seconds(deadline))
                        await self?.expire(id: id, generation: generation, deadline: deadline)
                    }
                }
            } onCancel: {
                _Concurrency.Task { await self.cancel(id: id) }
            }
        } catch let error as PluginError {
            throw error
        } catch {
            throw .badReply(plugin: name, method: method, reason: "\(error)")
        }
    }

    private func start() throws(PluginError) {
        if childRunning { return }
        stop()
        signal(SIGPIPE, SIG_IGN)
        if let socketPath {
            do {
                try connect(socketPath)
                return
            } catch {
                throw .launchFailed(plugin: name, path: socketPath, reason: "\(error)")
            }
        }
        // A file just written may be briefly busy (ETXTBSY while another process forked with
        // it open): retry a few times before giving up.
        var attempt = 0
        while true {
            do {
                try launchChild()
                return
            } catch {
                attempt += 1
                guard attempt < 5, FileManager.default.isExecutableFile(atPath: path) else {
                    throw .launchFailed(plugin: name, path: path, reason: "\(error)")
                }
                usleep(100_000)
            }
        }
    }

    private func connect(_ socketPath: String) throws {
        let events = AsyncStream<PluginEvent>.makeStream()
        socket = try PluginSocket(
            path: socketPath, onLine: { events.continuation.yield(.line($0)) },
            onClose: { events.continuation.yield(.closed) })
        generation += 1
        let generation = self.generation
        InterruptHandler.shared.register(self)
        stderrTail = []
        handshakeResult = nil
        listen(events.stream, generation: generation)
    }

    /// One protocol line to the child's stdin or the connection; false when it is gone.
    private func write(_ data: Data) -> Bool {
        if let socket { return socket.write(data) }
        guard let stdin else { return false }
        do {
            try stdin.write(contentsOf: data)
            return true
        } catch {
            return false
        }
    }

    private func listen(_ stream: AsyncStream<PluginEvent>, generation: Int) {
        _Concurrency.Task { [weak self] in
            for await event in stream {
                guard let self else { return }
                if await self.handle(event, generation: generation) { break }
            }
        }
    }

    private func launchChild() throws {
        var env = environment
        env[PluginWire.magicKey] = PluginWire.magicValue
        env["SKY_PLUGIN_NAME"] = name
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        // ChildProcess, not Foundation's Process: a plugin spoken over `ssh` would block
        // Foundation's one reaper thread for as long as the connection lives.
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(
                [path] + arguments, environment: env,
                stdin: .fd(input.fileHandleForReading.fileDescriptor),
                stdout: .fd(output.fileHandleForWriting.fileDescriptor),
                stderr: .fd(errors.fileHandleForWriting.fileDescriptor))
        } catch {
            for handle in [
                input.fileHandleForReading, input.fileHandleForWriting, output.fileHandleForReading,
                output.fileHandleForWriting, errors.fileHandleForReading,
                errors.fileHandleForWriting,
            ] {
                try? handle.close()
            }
            throw error
        }
        // The child has its ends; ours must go so EOF arrives when it exits.
        try? input.fileHandleForReading.close()
        try? output.fileHandleForWriting.close()
        try? errors.fileHandleForWriting.close()
        let events = AsyncStream<PluginEvent>.makeStream()
        output.fileHandleForReading.readabilityHandler = PluginLineSplitter.handler {
            events.continuation.yield($0.map(PluginEvent.line) ?? .eof)
        }
        errors.fileHandleForReading.readabilityHandler = PluginLineSplitter.handler {
            if let line = $0 { events.continuation.yield(.stderr(line)) }
        }
        child.onExit { status in
            events.continuation.yield(.exit(status))
        }
        generation += 1
        let generation = self.generation
        process = child
        readers = [output.fileHandleForReading, errors.fileHandleForReading]
        stdin = input.fileHandleForWriting
        InterruptHandler.shared.register(self)
        stderrTail = []
        handshakeResult = nil
        listen(events.stream, generation: generation)
    }

    /// Returns true when the event stream of this child is over.
    private func handle(_ event: PluginEvent, generation: Int) -> Bool {
        switch event {
        case .stderr(let line):
            stderrTail.append(line)
            if stderrTail.count > 10 { stderrTail.removeFirst() }
            log("[plugin \(name)] \(line)")
            return false
        case .line(let line):
            guard generation == self.generation else { return false }
            receive(line)
            return false
        case .eof:
            return false
        case .exit(let status):
            guard generation == self.generation else { return true }
            ended(status: status)
            return true
        case .closed:
            guard generation == self.generation else { return true }
            ended(status: nil)
            stop()
            return true
        }
    }

    /// The child exited or the listening plugin closed the connection.
    private func ended(status: Int32?) {
        failAll(.crashed(plugin: name, path: path, status: status, stderrTail: tail))
        process = nil
        stdin = nil
        handshakeResult = nil
    }

    private func receive(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return }
        guard let message = try? JSONValue.parse(Data(trimmed.utf8)), case .object = message else {
            failAll(.garbage(plugin: name, path: path, line: trimmed))
            stop()
            return
        }
        if case .int(let id)? = message["id"], let entry = pending.removeValue(forKey: id) {
            if let error = message["error"], error != .null {
                entry.continuation.resume(
                    throwing: PluginError.remote(
                        plugin: name, method: entry.method,
                        code: error["code"]?.stringValue ?? "internal",
                        message: error["message"]?.stringValue ?? "no message",
                        retryable: error["retryable"] == .bool(true)))
            } else {
                entry.continuation.resume(returning: message["result"] ?? .null)
            }
            return
        }
        if message["method"]?.stringValue == "progress", let params = message["params"] {
            var entry: (method: String, report: ProvisionProgress?)?
            if case .int(let id)? = params["id"], let call = pending[id] {
                entry = (call.method, call.report)
            }
            let text = params["message"]?.stringValue ?? ""
            if let onProgress {
                onProgress(entry?.method ?? "", text)
            } else {
                entry?.report?.say(text)
            }
        }
    }

    private func expire(id: Int, generation: Int, deadline: Double) {
        guard let entry = pending.removeValue(forKey: id) else { return }
        entry.continuation.resume(
            throwing: PluginError.timedOut(plugin: name, method: entry.method, seconds: deadline))
        notifyCancel(id)
    }

    /// Cancels every pending call (Ctrl-C): each gets `cancelled`, the plugin a `cancel`.
    func cancelPending() {
        for id in pending.keys.sorted() { cancel(id: id) }
    }

    private func cancel(id: Int) {
        guard let entry = pending.removeValue(forKey: id) else { return }
        entry.continuation.resume(
            throwing: PluginError.cancelled(plugin: name, method: entry.method))
        notifyCancel(id)
    }

    private func notifyCancel(_ id: Int) {
        let line = PluginWire.notification(method: "cancel", params: .object([("id", .int(id))]))
        _ = write(Data((line + "\n").utf8))
    }

    private func failAll(_ error: PluginError) {
        let entries = pending.values
        pending = [:]
        for entry in entries { entry.continuation.resume(throwing: error) }
    }

    private func stop() {
        if let socket {
            generation += 1
            socket.release()
            self.socket = nil
            handshakeResult = nil
            return
        }
        guard let child = process else { return }
        generation += 1
        try? stdin?.close()
        if child.exitCode == nil {
            child.signalGroup(SIGTERM)
            // A plugin that ignores SIGTERM is killed a second later.
            _Concurrency.Task.detached {
                try? await _Concurrency.Task.sleep(for: .seconds(1))
                child.signalGroup(SIGKILL)
            }
        }
        process = nil
        stdin = nil
        handshakeResult = nil
        for reader in readers { reader.readabilityHandler = nil }
        readers = []
    }

    private var tail: String { stderrTail.joined(separator: "\n") }
}

/// What the reader tasks see of a child.
enum PluginEvent: Sendable {
    case line(String)
    case stderr(String)
    case eof
    case exit(Int32)
    /// A listening plugin's connection was closed.
    case closed
}
