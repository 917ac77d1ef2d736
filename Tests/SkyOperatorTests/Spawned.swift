import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped by a waitpid of its own (on a
/// dispatch thread). Not Foundation's `Process`: on Linux that reaps every child from one
/// shared thread which, once any `ssh` child closes the inherited socket it watches (ssh
/// closes every inherited descriptor), sits in a blocking `waitpid` for that ssh; every other
/// `waitUntilExit` in the test process then hangs as long as that ssh lives (CI hung in this
/// suite's `waitUntilExit` behind another suite's long-lived ssh).
final class Spawned: Sendable {
    let pid: pid_t
    private let exit = Mutex<Int32?>(nil)

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    enum Output {
        case null
        /// Appended to this file.
        case file(String)
        /// A descriptor of the caller (duplicated into the child).
        case fd(Int32)
    }

    /// Starts `argv` (argv[0] looked up in PATH) with `environment`; stdin from `stdinFD`
    /// (nil: /dev/null).
    init(_ argv: [String], environment: [String: String], stdinFD: Int32? = nil, stdout: Output, stderr: Output) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdinFD {
            posix_spawn_file_actions_adddup2(&actions, stdinFD, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        for (target, output) in [(Int32(1), stdout), (Int32(2), stderr)] {
            switch output {
            case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            case .fd(let fd): posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        // Only 0-2 reach the child (no other test's pipe end is held open by it).
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArgs { free(pointer) }
            for pointer in cEnv { free(pointer) }
        }
        var child: pid_t = 0
        let code = posix_spawnp(&child, argv[0], &actions, nil, cArgs, cEnv)
        guard code == 0 else { throw Failed(description: "cannot start \(argv[0]): \(String(cString: strerror(code)))") }
        pid = child
        let spawned = child
        DispatchQueue.global().async { [self] in
            var status: Int32 = 0
            while waitpid(spawned, &status, 0) == -1, errno == EINTR {}
            // WIFEXITED: low 7 bits zero → exit code in bits 8-15; else 128 + signal.
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            self.exit.withLock { $0 = code }
        }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34; not imported by Swift's module).
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(address, to: AddCloseFrom.self)
    }()

    var isRunning: Bool { exit.withLock { $0 == nil } }
    var exitCode: Int32? { exit.withLock { $0 } }

    func signal(_ number: Int32) {
        if isRunning { kill(pid, number) }
    }

    /// Waits (polling) up to `seconds` for the exit; whether it came.
    func waitForExit(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning {
            if Date() > deadline { return false }
            try? await _Concurrency.Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    /// Runs `argv` under coreutils `timeout` (SIGTERM at `seconds`, SIGKILL 5 s later) with
    /// `stdin`; its exit status and output (stdout, plus stderr when `stderr`). The blocking
    /// reads and waits run on a dispatch thread, never on the async pool (two blocked pool
    /// threads stall every test of the process on a 2-core machine).
    static func run(_ argv: [String], stdin: String? = nil, stderr: Bool, seconds: Int) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(argv, stdin: stdin, stderr: stderr, seconds: seconds) })
            }
        }
    }

    private static func runBlocking(_ argv: [String], stdin: String?, stderr: Bool, seconds: Int) throws -> (status: Int32, output: String) {
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw Failed(description: "pipe: \(String(cString: strerror(errno)))") }
        // Close-on-exec: no other child spawned meanwhile holds these ends open (ours get them
        // through dup2, which clears the flag).
        for fd in input + output { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let child: Spawned
        do {
            child = try Spawned(
                ["timeout", "-k", "5", String(seconds)] + argv, environment: ProcessInfo.processInfo.environment,
                stdinFD: input[0], stdout: .fd(output[1]), stderr: stderr ? .fd(output[1]) : .null)
        } catch {
            for fd in input + output { close(fd) }
            throw error
        }
        close(input[0])
        close(output[1])
        // The input is small (a manifest): written before reading, then closed (EOF).
        if let stdin {
            var bytes = Array(stdin.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { write(input[1], $0.baseAddress, $0.count) }
                if written < 0 { if errno == EINTR { continue } else { break } }
                bytes = bytes.dropFirst(written)
            }
        }
        close(input[1])
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(output[0], $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        close(output[0])
        // The output ended: the child is ending (`timeout` bounds it anyway).
        let deadline = Date().addingTimeInterval(Double(seconds) + 10)
        while child.isRunning, Date() < deadline { usleep(10_000) }
        return (child.exitCode ?? -1, String(decoding: data, as: UTF8.self))
    }
}
