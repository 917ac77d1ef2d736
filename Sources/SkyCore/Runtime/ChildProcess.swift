import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn` and reaped by a thread of its own.
///
/// Not Foundation's `Process`: on Linux that reaps every child from one shared thread, which
/// learns of an exit when the child closes an inherited socket and then calls a blocking
/// `waitpid`. `ssh` closes every inherited descriptor as it starts, so while one `ssh` runs
/// (a log stream, a plugin spoken over ssh) that thread sits in `waitpid` and no other
/// child's exit is noticed: every other wait in the process hangs behind it.
///
/// The child gets exactly its three standard streams (everything from fd 3 up is closed in
/// it) and, with `newProcessGroup`, a process group of its own (`kill(-pid, ...)` reaches
/// what it starts).
package final class ChildProcess: Sendable {
    package let pid: pid_t
    private let state = Mutex<(code: Int32?, waiters: [@Sendable (Int32) -> Void])>((nil, []))
    /// The children of this process that have not ended.
    private static let running = Mutex<Set<pid_t>>([])
    /// Run once, before the first child starts (`onFirstSpawn`).
    private static let firstSpawnHook = Mutex<(@Sendable () -> Void)?>(nil)

    /// Where a standard stream of the child comes from or goes: a descriptor of ours, which
    /// the child gets as its 0/1/2 (ours stays open: close it after `spawn`), or /dev/null.
    package enum Stream: Sendable {
        case null
        case fd(Int32)
    }

    package enum SpawnError: Error, CustomStringConvertible {
        case failed(executable: String, errno: Int32)

        package var description: String {
            switch self {
            case .failed(let executable, let code):
                "Could not start '\(executable)': \(String(cString: strerror(code)))."
            }
        }
    }

    /// Starts `argv` (argv[0] a path, or looked up on the child's `PATH`; what is on no `PATH`
    /// directory goes through `/usr/bin/env`, which reports it). `environment` nil = ours.
    package static func spawn(
        _ argv: [String], environment: [String: String]? = nil, cwd: String? = nil,
        stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null,
        newProcessGroup: Bool = true
    ) throws -> ChildProcess {
        guard let first = argv.first else { throw SpawnError.failed(executable: "", errno: EINVAL) }
        if let hook = firstSpawnHook.withLock({ hook in
            defer { hook = nil }
            return hook
        }) {
            hook()
        }
        let found = first.contains("/") ? first : lookUp(first, environment: environment)
        let program = found ?? "/usr/bin/env"
        let args = found != nil ? argv : ["/usr/bin/env"] + argv

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        for (target, stream) in [
            (STDIN_FILENO, stdin), (STDOUT_FILENO, stdout), (STDERR_FILENO, stderr),
        ] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(
                    &actions, target, "/dev/null", target == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
            case .fd(let fd):
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        guard let closeFrom = GlibcSpawnExtras.addCloseFrom,
            let changeDirectory = GlibcSpawnExtras.addChdir
        else {
            throw SpawnError.failed(executable: first, errno: ENOSYS)
        }
        _ = closeFrom(&actions, 3)
        if let cwd { _ = changeDirectory(&actions, cwd) }

        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let env = (environment ?? ProcessInfo.processInfo.environment).map {
            "\($0.key)=\($0.value)"
        }
        var pid: pid_t = 0
        let result = withCStrings(args) { cArgs in
            withCStrings(env) { cEnv in
                posix_spawn(&pid, program, &actions, &attributes, cArgs, cEnv)
            }
        }
        guard result == 0 else { throw SpawnError.failed(executable: first, errno: result) }
        let child = ChildProcess(pid: pid)
        running.withLock { _ = $0.insert(pid) }
        BlockingThread.start("sky-reap-\(pid)") { child.reap() }
        return child
    }

    /// `name`'s executable on the `PATH` the child gets (an exec of `/usr/bin/env` less).
    package static func lookUp(_ name: String, environment: [String: String]?) -> String? {
        let path =
            (environment ?? ProcessInfo.processInfo.environment)["PATH"]
            ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: true)
        where directory.hasPrefix("/") {
            let candidate = directory + "/" + name
            var info = stat()
            if access(candidate, X_OK) == 0, stat(candidate, &info) == 0,
                info.st_mode & S_IFMT == S_IFREG
            {
                return candidate
            }
        }
        return nil
    }

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// The exit code once the child ended: its status, or 128 + the signal that killed it.
    package var exitCode: Int32? { state.withLock { $0.code } }

    /// Calls `handler` with the exit code when the child ends (at once if it has).
    package func onExit(_ handler: @escaping @Sendable (Int32) -> Void) {
        let code: Int32? = state.withLock { state in
            if state.code == nil { state.waiters.append(handler) }
            return state.code
        }
        if let code { handler(code) }
    }

    /// Waits for the end of the child; its exit code.
    package func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            onExit { continuation.resume(returning: $0) }
        }
    }

    /// Sends `signal` to the child's process group (or to the child alone when it has none).
    package func signalGroup(_ signal: Int32) {
        guard exitCode == nil else { return }
        if kill(-pid, signal) != 0 { kill(pid, signal) }
    }

    /// Runs `hook` once, just before this process starts its first child (the CLI sets up
    /// its signal handling then, so that a signal ending it stops its children first).
    package static func onFirstSpawn(_ hook: @escaping @Sendable () -> Void) {
        firstSpawnHook.withLock { $0 = hook }
    }

    /// Sends `signal` to every child that has not ended (to its process group, or to it alone
    /// when it has none), except `keeping`: what sky leaves behind when Ctrl-C ends it early
    /// otherwise (a log follower would stream on to no one until its job ends).
    package static func signalAll(_ signal: Int32, except keeping: Set<pid_t> = []) {
        let pids = running.withLock { $0.subtracting(keeping) }
        for pid in pids where kill(-pid, signal) != 0 { kill(pid, signal) }
    }

    private func reap() {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR {
                status = 255 << 8
                break
            }
        }
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        Self.running.withLock { _ = $0.remove(pid) }
        let waiters = state.withLock { state in
            state.code = code
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter(code) }
    }
}

/// `body` with a NULL-terminated C array of `strings`.
private func withCStrings<R>(
    _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
) -> R {
    let buffer = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(
        capacity: strings.count + 1)
    for (index, string) in strings.enumerated() { buffer[index] = strdup(string) }
    buffer[strings.count] = nil
    defer {
        for index in 0..<strings.count { free(buffer[index]) }
        buffer.deallocate()
    }
    return body(buffer)
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34) and `..._addchdir_np` (2.29),
/// which its Swift module does not import (they need _GNU_SOURCE): looked up once.
private enum GlibcSpawnExtras {
    typealias AddCloseFrom =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) ->
        Int32

    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else {
            return nil
        }
        return unsafeBitCast(address, to: T.self)
    }
}
