import Foundation
import SkyCore
import Testing

/// Drives the real `skylet` executable on a temporary "cluster" of local nodes: each node is a
/// directory used as its HOME; node 0 is the head where every command runs.
final class SkyletHarness: Sendable {
    let root: String
    let nodeHomes: [String]
    let cluster: ClusterSpec
    let extraEnvironment: [String: String]

    static var skyletBinary: String {
        if let path = ProcessInfo.processInfo.environment["SKY_SKYLET_BINARY"] { return path }
        // Tests run from .build/<config>/<Package>PackageTests.xctest: skylet is next to it.
        var dir = URL(fileURLWithPath: Bundle.main.bundlePath)
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        let candidates = [
            dir.appendingPathComponent("skylet").path,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("skylet").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? candidates[0]
    }

    init(
        nodes: Int = 1, cpus: Double = 4, gpus: Double = 0,
        autostop: ClusterSpec.AutostopSpec? = nil,
        hooks: [ClusterSpec.HookSpec] = [], environment: [String: String] = [:]
    ) throws {
        root =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("skylet-test-\(UUID().uuidString.prefix(8))").path
        let root = self.root
        let homes = (0..<nodes).map { "\(root)/node\($0)" }
        nodeHomes = homes
        for home in homes {
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        }
        cluster = ClusterSpec(
            clusterName: "testc", clusterNameOnCloud: "testc-1234", cloud: "local",
            nodes: homes.enumerated().map {
                NodeEndpoint(kind: .local, ip: "127.0.0.\($0.offset + 1)", home: $0.element)
            },
            cpusPerNode: cpus, gpusPerNode: gpus, autostop: autostop, hooks: hooks)
        extraEnvironment = environment
        let result = try run(["write-cluster"], stdin: try JSONEncoder().encode(cluster))
        #expect(result.code == 0, "write-cluster failed: \(result.err)")
    }

    var head: String { nodeHomes[0] }

    struct Output {
        var code: Int32
        var out: String
        var err: String
    }

    /// Runs `skylet args...` as the head node (HOME = node 0).
    @discardableResult
    func run(_ args: [String], stdin: Data? = nil, binary: String = SkyletHarness.skyletBinary)
        throws
        -> Output
    {
        let process = headProcess(args, binary: binary)
        let outPipe = Pipe()
        let errPipe = Pipe()
        let inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let stdin {
            inPipe.fileHandleForWriting.write(stdin)
            try inPipe.fileHandleForWriting.close()
        }
        let errBox = DataBox()
        let errThread = Thread {
            errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            errBox.ready.signal()
        }
        errThread.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errBox.ready.wait()
        return Output(
            code: process.terminationStatus, out: String(decoding: out, as: UTF8.self),
            err: String(decoding: errBox.data, as: UTF8.self))
    }

    /// Starts `skylet args...` as the head node and leaves it running (a daemon in the
    /// foreground, as the Slurm batch script runs it); stdout and stderr are discarded.
    func launch(_ args: [String], binary: String = SkyletHarness.skyletBinary) throws -> Process {
        let process = headProcess(args, binary: binary)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Starts `skylet args...` as the head node with `input` on stdin and reads its stdout
    /// until the `{"job_id": N}` line; returns the running process and what it printed so far
    /// (the caller ends it).
    func startUntilSubmitted(_ args: [String], input: Data) throws -> (Process, String) {
        let process = headProcess(args, binary: Self.skyletBinary)
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("job_id") {
            let chunk = FDIO.readChunk(stdout.fileHandleForReading.fileDescriptor)
            if chunk.isEmpty { break }
            seen += chunk
        }
        return (process, String(decoding: seen, as: UTF8.self))
    }

    /// A `skylet args...` process as the head node (HOME = node 0), not started yet.
    private func headProcess(_ args: [String], binary: String) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = head
        for (k, v) in extraEnvironment { env[k] = v }
        process.environment = env
        return process
    }

    /// A copy of the skylet in `<root>/bin` with a `.sha256` file beside it, as the engine
    /// installs it.
    func installedCopy(hash: String) throws -> String {
        let dir = root + "/bin"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let binary = dir + "/skylet"
        try FileManager.default.copyItem(atPath: Self.skyletBinary, toPath: binary)
        try (hash + "\n").write(toFile: binary + ".sha256", atomically: true, encoding: .utf8)
        return binary
    }

    func spec(
        run: String?, setup: String? = nil, nodes: Int = 1, cpus: Double = 0.5, gpus: Double = 0,
        envs: [[String]] = [], secrets: [[String]] = [], name: String? = nil
    ) -> JobSpec {
        JobSpec(
            name: name, user: "tester", userHash: "abcd1234", numNodes: nodes, setup: setup,
            run: run,
            envs: envs, secrets: secrets, cpusPerNode: cpus, gpusPerNode: gpus,
            resourcesString: "\(nodes)x[CPU:\(cpus)]")
    }

    func submit(_ spec: JobSpec) throws -> Int {
        let result = try run(["submit"], stdin: try JSONEncoder().encode(spec))
        guard result.code == 0,
            let object = try JSONSerialization.jsonObject(with: Data(result.out.utf8))
                as? [String: Any],
            let id = object["job_id"] as? Int
        else {
            throw HarnessError("submit failed (\(result.code)): \(result.out) \(result.err)")
        }
        return id
    }

    func queue() throws -> [JobRecord] {
        let result = try run(["queue", "-o", "json"])
        guard result.code == 0 else { throw HarnessError("queue failed: \(result.err)") }
        return try JSONDecoder().decode([JobRecord].self, from: Data(result.out.utf8))
    }

    func status(_ id: Int) throws -> JobStatus? {
        try queue().first { $0.jobID == id }?.status
    }

    /// Polls until job `id` reaches a status satisfying `done` (or the deadline passes).
    @discardableResult
    func waitFor(_ id: Int, timeout: Double = 60, _ done: (JobStatus) -> Bool = \.isTerminal) throws
        -> JobStatus?
    {
        let deadline = Date().addingTimeInterval(timeout)
        var last: JobStatus?
        while Date() < deadline {
            last = try status(id)
            if let last, done(last) { return last }
            usleep(50_000)
        }
        return last
    }

    /// Waits until `path` exists (a script's "I am running" mark).
    func waitForFile(_ path: String, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(20_000)
        }
        return false
    }

    func logs(_ id: Int, extra: [String] = []) throws -> String {
        try run(["logs", String(id), "--no-follow"] + extra).out
    }

    func cleanup() {
        _ = try? run(["teardown"])
        try? FileManager.default.removeItem(atPath: root)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

final class DataBox: @unchecked Sendable {
    // Written once by the reader thread before `ready` is signalled; read only after waiting.
    var data = Data()
    let ready = DispatchSemaphore(value: 0)
}

/// Live processes (not zombies) whose session id is `sid`.
func processesInSession(_ sid: Int32) -> [Int32] {
    let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap {
        Int32($0)
    }
    return pids.filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state, ppid, pgrp, session.
        return rest.count > 3 && rest[0] != "Z" && Int32(rest[3]) == sid
    }
}

/// Reads an integer written by a job script.
func readInt(_ path: String) -> Int32? {
    (try? String(contentsOfFile: path, encoding: .utf8)).flatMap {
        Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
