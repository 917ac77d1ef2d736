import Foundation
import SkyCore
import SkyPluginKit
import SkySlurm
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `sky-slurm-agent listen <socket>`: the agent kept running on the login node between
/// commands. It serves the plugin protocol on every connection to a unix socket in the login
/// user's `~/.sky/run` (mode 0600, in a 0700 directory), which `sky` reaches through a
/// forward of its ssh ControlMaster: a command then costs one socket connection instead of an
/// ssh session, a process start and libslurm's initialisation. One listener per socket; it
/// stops accepting and exits after `idleSeconds` without a connection, after
/// `maxAgeSeconds` in all (what it remembers of slurmctld's configuration stays recent), or
/// when its socket file is removed or replaced.
struct SlurmAgentListener {
    static let idleSeconds: Double = 600
    static let maxAgeSeconds: Double = 3600

    let path: String
    let server: PluginServer
    var idleSeconds = Self.idleSeconds
    var maxAgeSeconds = Self.maxAgeSeconds

    /// The connections' count and times, shared by the accept loop, the connections and the
    /// watchdog.
    private final class Shared: Sendable {
        struct State {
            var active = 0
            var lastActivity = ContinuousClock.now
            var closing = false
        }
        let state = Mutex(State())
    }

    /// Serves until one of the ends above; returns the exit status.
    func run() -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        _ = setsid()
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else {
            PluginServer.log("cannot open \(path).lock: \(String(cString: strerror(errno)))")
            return 1
        }
        // The lock orders listeners starting at once; one that finds the socket answering
        // leaves it to the listener there. A listener whose socket was replaced no longer
        // accepts, so the lock is held only until this one listens.
        flock(lock, LOCK_EX)
        if let fd = try? UnixSocket.connect(path) {
            close(fd)
            close(lock)
            return 0
        }
        unlink(path)
        let listening: Int32
        do {
            listening = try UnixSocket.listen(path)
            close(lock)
        } catch {
            close(lock)
            PluginServer.log("\(error)")
            return 1
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return 1 }
        let inode = info.st_ino
        let shared = Shared()
        let started = ContinuousClock.now
        let watchdog = Thread {
            while true {
                sleep(1)
                var now = stat()
                let replaced = stat(path, &now) != 0 || now.st_ino != inode
                let stop = shared.state.withLock { state -> Bool in
                    let idle = ContinuousClock.now - state.lastActivity
                    let old = ContinuousClock.now - started
                    guard
                        replaced
                            || (state.active == 0
                                && (idle > .seconds(idleSeconds) || old > .seconds(maxAgeSeconds)))
                    else { return false }
                    state.closing = true
                    return true
                }
                guard stop else { continue }
                // No new connections; those accepted already are served to their end.
                if !replaced { unlink(path) }
                shutdown(listening, Int32(SHUT_RDWR))
                while shared.state.withLock({ $0.active }) > 0 { usleep(50_000) }
                exit(0)
            }
        }
        watchdog.start()
        while true {
            let connection = accept(listening, nil, nil)
            if connection < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                // Shut down by the watchdog, which exits once the connections are done.
                if shared.state.withLock({ $0.closing }) { while true { pause() } }
                PluginServer.log("accept on \(path): \(String(cString: strerror(errno)))")
                return 1
            }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            let accepted = shared.state.withLock { state -> Bool in
                guard !state.closing else { return false }
                state.active += 1
                state.lastActivity = .now
                return true
            }
            guard accepted else {
                close(connection)
                continue
            }
            let thread = Thread {
                server.serve(connection: connection)
                shared.state.withLock { state in
                    state.active -= 1
                    state.lastActivity = .now
                }
            }
            thread.start()
        }
    }

    /// `~/.sky/run/<this executable's name>.<short host name>.sock` of the login user (created
    /// 0700). The host name keeps login nodes that share a home (one alias, several hosts)
    /// from taking each other's socket: a socket answers only on the host that bound it.
    static func socketPath(environment: [String: String]) throws -> String {
        guard let home = environment["HOME"], home.hasPrefix("/") else {
            throw PluginFailure(code: "internal", message: "HOME is not set on the login node")
        }
        let directory = home + "/.sky/run"
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let name = URL(fileURLWithPath: executablePath).lastPathComponent
        let path = directory + "/" + name + "." + shortHostName + ".sock"
        guard path.utf8.count <= UnixSocket.maxPathLength else {
            throw PluginFailure(
                code: "unsupported", message: "the socket path \(path) is too long")
        }
        return path
    }

    /// The host name up to its first dot (`gethostname`, no resolver).
    static var shortHostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "host" }
        let name = String(
            decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let short = name.split(separator: ".").first.map(String.init) ?? ""
        return short.isEmpty || short.contains("/") ? "host" : short
    }

    /// This executable (the content-addressed name sky installed).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
    }

    /// Starts a listener on `path` unless one answers there, and waits until one does.
    static func ensure(path: String, environment: [String: String]) throws {
        if let fd = try? UnixSocket.connect(path) {
            close(fd)
            return
        }
        let log = open(path + ".log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        defer { if log >= 0 { close(log) } }
        do {
            _ = try ChildProcess.spawn(
                [executablePath, SlurmAgentWire.listenArgument, path], environment: environment,
                stdin: .null, stdout: .null, stderr: log >= 0 ? .fd(log) : .null,
                newProcessGroup: false)
        } catch {
            throw PluginFailure(code: "internal", message: "cannot start the listener: \(error)")
        }
        for _ in 0..<300 {
            if let fd = try? UnixSocket.connect(path) {
                close(fd)
                return
            }
            usleep(10_000)
        }
        throw PluginFailure(
            code: "internal", message: "the listener did not open \(path) within 3 s")
    }
}
