import Foundation
import Glibc
import SkyCore
import Synchronization

/// Runs one phase of a job (setup or run) on several nodes at once: one transport process per
/// node (`bash -s` locally, `ssh ... bash -s`, an `srun` step), output into the job's logs.
/// When a node fails or `killAll()` is called, every node's session is killed; nothing is
/// left running.
final class PhaseRunner: Sendable {
    struct Node: Sendable {
        let target: NodeTarget
        let payload: String
        let prefix: String
        /// Where the node's session id appears when its payload reports none on stderr (Slurm;
        /// the nodes share the filesystem). Created empty before the node starts, so that it is
        /// a file the driver re-opens, never a name it looks up in vain: NFS clients may keep
        /// a name they found missing missing for up to a minute, but re-read a file's content
        /// on every open (close-to-open).
        var sessionFile: String? = nil
    }

    private struct State {
        var sessions: [Int: Int32] = [:]
        var killed: Set<Int> = []
        var killRequested = false
        var failedRank: Int?
    }

    private let nodes: [Node]
    private let sink: LogSink
    private let baseEnvironment: [String: String]
    private let onSession: @Sendable (Int, Int32) -> Void
    private let state = Mutex(State())
    private let killers = DispatchGroup()

    init(
        nodes: [Node], sink: LogSink, baseEnvironment: [String: String],
        onSession: @escaping @Sendable (Int, Int32) -> Void
    ) {
        self.nodes = nodes
        self.sink = sink
        self.baseEnvironment = baseEnvironment
        self.onSession = onSession
    }

    /// Runs every node to completion; returns each rank's exit code. When one node fails, the
    /// others are killed (their codes are then those of the killed processes).
    func run() -> [Int: Int32] {
        let codes = Mutex<[Int: Int32]>([:])
        let group = DispatchGroup()
        for node in nodes {
            group.enter()
            BlockingThread.start("skylet-rank\(node.target.rank)") { [self] in
                let code = runNode(node)
                codes.withLock { $0[node.target.rank] = code }
                if code != 0 {
                    let first = state.withLock { state -> Bool in
                        if state.failedRank == nil && !state.killRequested {
                            state.failedRank = node.target.rank
                            return true
                        }
                        return false
                    }
                    if first { killAll() }
                }
                group.leave()
            }
        }
        group.wait()
        killers.wait()
        return codes.withLock { $0 }
    }

    /// The rank whose failure stopped the phase, if any.
    var failedRank: Int? { state.withLock { $0.failedRank } }

    /// Kills every node's session (now, or as soon as the node reports it).
    func killAll() {
        let toKill = state.withLock { state -> [(Int, Int32)] in
            state.killRequested = true
            let pending = state.sessions.filter { !state.killed.contains($0.key) }
            state.killed.formUnion(pending.keys)
            return pending.map { ($0.key, $0.value) }
        }
        for (rank, sid) in toKill { kill(rank: rank, sid: sid) }
    }

    private func kill(rank: Int, sid: Int32) {
        guard let node = nodes.first(where: { $0.target.rank == rank }) else { return }
        killers.enter()
        BlockingThread.start("skylet-kill\(rank)") { [self] in
            node.target.killSession(sid, base: baseEnvironment)
            killers.leave()
        }
    }

    private func runNode(_ node: Node) -> Int32 {
        let target = node.target
        let command: NodeTarget.Command
        do {
            command = try target.command(payload: node.payload)
            if let file = node.sessionFile { try NodeTarget.writePrivate(Data(), to: file) }
        } catch {
            sink.write(rank: target.rank, prefix: node.prefix, line: "\(error)")
            return 255
        }
        defer {
            if let file = command.payloadFile { unlink(file) }
            if let file = node.sessionFile { unlink(file) }
        }
        let child: Spawned
        do {
            child = try Spawn.start(
                command.argv, environment: target.environment(base: baseEnvironment),
                stdin: command.payloadFile == nil ? .pipe : .null, stdout: .pipe, stderr: .pipe,
                newSession: true)
        } catch {
            sink.write(rank: target.rank, prefix: node.prefix, line: "\(error)")
            return 255
        }
        let ended = StopFlag()
        defer { ended.set() }
        if let file = node.sessionFile { watchSession(file, rank: target.rank, until: ended) }
        if let fd = child.stdinFD {
            BlockingThread.start("skylet-stdin\(target.rank)") {
                FDIO.writeAll(fd, Data(node.payload.utf8))
                close(fd)
            }
        }
        let stderrDone = DispatchSemaphore(value: 0)
        BlockingThread.start("skylet-err\(target.rank)") { [self] in
            if let fd = child.stderrFD {
                FDIO.forEachLine(fd, carriageReturns: true) { line in
                    if line.hasPrefix(NodePayload.sessionMarker),
                        let sid = Int32(line.dropFirst(NodePayload.sessionMarker.count))
                    {
                        sessionStarted(rank: target.rank, sid: sid)
                    } else if !target.isTransportReport(line) {
                        sink.write(rank: target.rank, prefix: node.prefix, line: line)
                    }
                }
                close(fd)
            }
            stderrDone.signal()
        }
        if let fd = child.stdoutFD {
            FDIO.forEachLine(fd, carriageReturns: true) { line in
                sink.write(rank: target.rank, prefix: node.prefix, line: line)
            }
            close(fd)
        }
        stderrDone.wait()
        return child.wait()
    }

    /// Reads the node's session id from `file` as soon as it is there (every 5 ms, until the
    /// node ends; a session gone by then needs no killing).
    private func watchSession(_ file: String, rank: Int, until ended: StopFlag) {
        BlockingThread.start("skylet-sid\(rank)") { [self] in
            while !ended.isSet {
                if let text = try? String(contentsOfFile: file, encoding: .utf8),
                    let sid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), sid > 1
                {
                    sessionStarted(rank: rank, sid: sid)
                    return
                }
                usleep(5_000)
            }
        }
    }

    private func sessionStarted(rank: Int, sid: Int32) {
        onSession(rank, sid)
        let killNow = state.withLock { state -> Bool in
            state.sessions[rank] = sid
            if state.killRequested && !state.killed.contains(rank) {
                state.killed.insert(rank)
                return true
            }
            return false
        }
        if killNow { kill(rank: rank, sid: sid) }
    }
}
