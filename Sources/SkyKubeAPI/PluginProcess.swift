import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A credential plugin's process: `posix_spawn` (fds 3+ closed in the child when glibc
/// offers it) and reaped by a waitpid of its own on a dispatch thread. Not Foundation's
/// `Process`, whose one shared reaper thread blocks behind any long-lived `ssh` child of the
/// operator (a log stream), so a token refresh would wait for that stream to end.
final class PluginProcess: Sendable {
    let pid: pid_t
    private let state = Mutex<(code: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    /// Starts `argv` (argv[0] looked up on `PATH`) with stdout and stderr on `stdoutFD` /
    /// `stderrFD` and stdin from /dev/null.
    init(_ argv: [String], environment: [String: String], stdoutFD: Int32, stderrFD: Int32) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutFD, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrFD, 2)
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArgs { free(pointer) }
            for pointer in cEnv { free(pointer) }
        }
        var child: pid_t = 0
        let code = posix_spawnp(&child, argv[0], &actions, nil, cArgs, cEnv)
        guard code == 0 else { throw KubeError.credentialPlugin(command: argv[0], detail: String(cString: strerror(code))) }
        pid = child
        let spawned = child
        DispatchQueue.global().async { [self] in
            var status: Int32 = 0
            while waitpid(spawned, &status, 0) == -1, errno == EINTR {}
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            let waiters = self.state.withLock { state -> [CheckedContinuation<Int32, Never>] in
                state.code = code
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: code) }
        }
    }

    var isRunning: Bool { state.withLock { $0.code == nil } }

    /// The exit code (128 + signal when killed), once the process ended.
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let code: Int32? = state.withLock { state in
                if state.code == nil { state.waiters.append(continuation) }
                return state.code
            }
            if let code { continuation.resume(returning: code) }
        }
    }

    func signal(_ number: Int32) {
        if isRunning { kill(pid, number) }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34; not imported by Swift's module).
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(address, to: AddCloseFrom.self)
    }()
}
