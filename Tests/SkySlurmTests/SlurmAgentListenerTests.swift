import Foundation
import SkyCore
import SkyProvision
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `sky-slurm-agent listen`, run here as a real process (no Slurm call is made: handshake and
/// `ping` only), reached with `PluginHost(socketPath:)` as sky reaches it through the forward.
@Suite(
    "The Slurm agent kept running between commands", .serialized, .timeLimit(.minutes(2)),
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: SlurmLoginBed.agentPath),
        "sky-slurm-agent is not built"))
struct SlurmAgentListenerTests {
    /// A socket path short enough for `sockaddr_un`, in a fresh directory.
    static func socketPath() throws -> (directory: String, path: String) {
        let directory = "/tmp/sky-al-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        return (directory, directory + "/agent.sock")
    }

    static func startListener(_ path: String, idleSeconds: String? = nil) throws -> ChildProcess {
        try ChildProcess.spawn(
            [SlurmLoginBed.agentPath, "listen", path] + (idleSeconds.map { [$0] } ?? []),
            newProcessGroup: false)
    }

    static func waitUntil(seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await _Concurrency.Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test func servesConnectionsAtOnceAndASecondListenerLeavesIt() async throws {
        let (directory, path) = try Self.socketPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listener = try Self.startListener(path)
        defer { listener.signalGroup(SIGKILL) }
        #expect(
            await Self.waitUntil(seconds: 5) {
                (try? UnixSocket.connect(path)).map { close($0) } != nil
            })
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)

        let first = PluginHost(name: "slurm", socketPath: path)
        let second = PluginHost(name: "slurm", socketPath: path)
        #expect(try await first.handshake(deadline: 5).name == "slurm")
        #expect(try await second.handshake(deadline: 5).name == "slurm")
        #expect(try await first.call("ping", deadline: 5) == .object([]))
        #expect(await first.processID == nil)
        // `shutdown` ends one connection; the listener serves the other and new ones.
        await first.shutdown()
        #expect(try await second.call("ping", deadline: 5) == .object([]))
        #expect(try await first.call("ping", deadline: 5) == .object([]))

        // One listener per socket: a second one exits at once and leaves the first serving.
        let other = try Self.startListener(path)
        #expect(await other.wait() == 0)
        #expect(try await second.call("ping", deadline: 5) == .object([]))
        await first.shutdown()
        await second.shutdown()
        #expect(listener.exitCode == nil)
    }

    @Test func aRemovedSocketEndsTheListenerAfterItsConnections() async throws {
        let (directory, path) = try Self.socketPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listener = try Self.startListener(path)
        defer { listener.signalGroup(SIGKILL) }
        #expect(await Self.waitUntil(seconds: 5) { FileManager.default.fileExists(atPath: path) })
        let host = PluginHost(name: "slurm", socketPath: path)
        _ = try await host.handshake(deadline: 5)
        try FileManager.default.removeItem(atPath: path)
        // The open connection is still served; the listener exits once it is closed.
        try await _Concurrency.Task.sleep(for: .milliseconds(1500))
        #expect(try await host.call("ping", deadline: 5) == .object([]))
        #expect(listener.exitCode == nil)
        await host.shutdown()
        #expect(await Self.waitUntil(seconds: 5) { listener.exitCode != nil })
        #expect(listener.exitCode == 0)
    }

    @Test func anIdleListenerRemovesItsSocketAndExits() async throws {
        let (directory, path) = try Self.socketPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listener = try Self.startListener(path, idleSeconds: "1")
        defer { listener.signalGroup(SIGKILL) }
        #expect(await Self.waitUntil(seconds: 5) { FileManager.default.fileExists(atPath: path) })
        #expect(await Self.waitUntil(seconds: 8) { listener.exitCode != nil })
        #expect(listener.exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
        // A host whose listener is gone fails to connect, naming the socket.
        let host = PluginHost(name: "slurm", socketPath: path)
        await #expect {
            _ = try await host.handshake(deadline: 5)
        } throws: { error in
            "\(error)".contains(path)
        }
    }
}
