import Foundation
import Glibc
import SkyCore
import Synchronization

/// A child process started with `posix_spawn` (no Foundation `Process`: the skylet needs new
/// sessions, exact file descriptors and a reset signal state, and reaps its children itself).
struct Spawned: Sendable {
    let pid: pid_t
    /// Write end of the child's stdin, when `.pipe`.
    let stdinFD: Int32?
    /// Read end of the child's stdout, when `.pipe`.
    let stdoutFD: Int32?
    /// Read end of the child's stderr, when `.pipe`.
    let stderrFD: Int32?

    /// Waits for the child and returns its exit code (128 + signal when killed).
    func wait() -> Int32 {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, 0)
            if r == pid { break }
            if r < 0 && errno != EINTR { return 255 }
        }
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }
}

/// Where one of a child's standard streams goes.
enum StreamTarget: Sendable {
    case null
    case inherit
    case pipe
    /// Append to a file (created with mode 0600 when missing).
    case file(String)
    /// stderr only: the same as stdout.
    case stdout
}

enum Spawn {
    /// POSIX_SPAWN_SETSID (glibc 2.26+), not imported into Swift.
    private static let setSIDFlag: Int32 = 0x80
    /// Serialises pipe creation and spawning so no child inherits another child's pipe end.
    private static let lock = Mutex(())

    /// Sets FD_CLOEXEC on every descriptor above 2, so a child gets only its three standard
    /// streams. (A pipe inherited from whoever started this skylet would otherwise stay open
    /// in a detached driver or daemon, and that caller would wait for its EOF for ever.)
    private static func markInheritedDescriptorsCloseOnExec() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        else { return }
        for entry in entries {
            guard let fd = Int32(entry), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// A close-on-exec pipe (`pipe` + `FD_CLOEXEC`; callers hold `lock`).
    private static func makePipe(_ pair: inout [Int32]) -> Int32 {
        guard pipe(&pair) == 0 else { return -1 }
        for fd in pair { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return 0
    }

    static func start(
        _ argv: [String], environment: [String: String], stdin: StreamTarget = .null,
        stdout: StreamTarget = .null, stderr: StreamTarget = .null, newSession: Bool = false
    ) throws -> Spawned {
        try lock.withLock { _ in
            markInheritedDescriptorsCloseOnExec()
            return try startLocked(
                argv, environment: environment, stdin: stdin, stdout: stdout, stderr: stderr,
                newSession: newSession)
        }
    }

    /// Starts `argv` (argv[0] is looked up in PATH when it has no `/`) with exactly `environment`.
    private static func startLocked(
        _ argv: [String], environment: [String: String], stdin: StreamTarget = .null,
        stdout: StreamTarget = .null, stderr: StreamTarget = .null, newSession: Bool = false
    ) throws -> Spawned {
        guard let program = argv.first else { throw SkyletError.spawnFailed("(empty command)", 0) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }

        var parentEnds: [Int32?] = [nil, nil, nil]
        var childEnds: [Int32] = []
        func cleanup() {
            for fd in childEnds { close(fd) }
        }
        for (fd, target) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch target {
            case .inherit:
                break
            case .null:
                posix_spawn_file_actions_addopen(
                    &actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(
                    &actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            case .stdout:
                posix_spawn_file_actions_adddup2(&actions, 1, fd)
            case .pipe:
                var pair: [Int32] = [0, 0]
                guard makePipe(&pair) == 0 else {
                    cleanup()
                    throw SkyletError.spawnFailed(program, errno)
                }
                let (childEnd, parentEnd) = fd == 0 ? (pair[0], pair[1]) : (pair[1], pair[0])
                childEnds.append(childEnd)
                parentEnds[Int(fd)] = parentEnd
                posix_spawn_file_actions_adddup2(&actions, childEnd, fd)
            }
        }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newSession { flags |= setSIDFlag }
        posix_spawnattr_setflags(&attr, Int16(flags))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, sig)
        }
        posix_spawnattr_setsigdefault(&attr, &defaults)

        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArgs + cEnv { free(pointer) }
        }
        var pid: pid_t = 0
        let rc =
            program.contains("/")
            ? posix_spawn(&pid, program, &actions, &attr, cArgs, cEnv)
            : posix_spawnp(&pid, program, &actions, &attr, cArgs, cEnv)
        cleanup()
        guard rc == 0 else {
            for fd in parentEnds.compactMap({ $0 }) { close(fd) }
            throw SkyletError.spawnFailed(program, rc)
        }
        return Spawned(
            pid: pid, stdinFD: parentEnds[0], stdoutFD: parentEnds[1], stderrFD: parentEnds[2])
    }

    /// Starts `argv` as an orphan in a new session: an intermediate `sh` starts it in the
    /// background and exits, so it is nobody's descendant (a Slurm step that ends, or an ssh
    /// session that closes, kills the process tree of whoever called the skylet, and a driver
    /// started beside a log follower would be in it). `input` is its stdin, its stdout and
    /// stderr are appended to `log`. Returns its pid.
    static func startOrphan(
        _ argv: [String], environment: [String: String], input: Data, log: String
    ) throws -> pid_t {
        // A background job's stdin is /dev/null unless redirected: keep ours on fd 3 for it.
        let script = "log=$1; shift; exec 3<&0; \"$@\" <&3 3<&- >>\"$log\" 2>&1 & echo $!"
        let shell = try start(
            ["/bin/sh", "-c", script, "sh", log] + argv, environment: environment, stdin: .pipe,
            stdout: .pipe, stderr: .file(log), newSession: true)
        if let fd = shell.stdinFD {
            FDIO.writeAll(fd, input)
            close(fd)
        }
        let out = shell.stdoutFD.map { FDIO.readAll($0) } ?? Data()
        if let fd = shell.stdoutFD { close(fd) }
        let code = shell.wait()
        let text = String(decoding: out, as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard code == 0, let pid = pid_t(text) else {
            throw SkyletError.io(
                "Could not start '\(argv.joined(separator: " "))' in the background (sh exited "
                    + "with \(code)); see \(log).")
        }
        return pid
    }

    /// Runs `argv` to completion, feeding `input`, and returns (exit code, stdout, stderr).
    static func run(
        _ argv: [String], environment: [String: String], input: Data? = nil
    ) throws -> (Int32, String, String) {
        let child = try start(
            argv, environment: environment, stdin: input == nil ? .null : .pipe, stdout: .pipe,
            stderr: .pipe)
        if let fd = child.stdinFD, let input {
            FDIO.writeAll(fd, input)
            close(fd)
        }
        let errBox = LockedData()
        BlockingThread.start("skylet-stderr") {
            if let fd = child.stderrFD { errBox.set(FDIO.readAll(fd)) }
        }
        let out = child.stdoutFD.map { FDIO.readAll($0) } ?? Data()
        let code = child.wait()
        let err = errBox.waitForValue()
        if let fd = child.stdoutFD { close(fd) }
        if let fd = child.stderrFD { close(fd) }
        return (code, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
