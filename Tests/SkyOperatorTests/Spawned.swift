import Foundation
import SkyCore

#if canImport(Glibc)
    import Glibc
#endif

/// A child process of the operator tests, on `ChildProcess` (posix_spawn, reaped by a thread
/// of its own). Not Foundation's `Process`: on Linux that reaps every child from one shared
/// thread which, once any `ssh` child closes the inherited socket it watches (ssh closes every
/// inherited descriptor), sits in a blocking `waitpid` for that ssh; every other
/// `waitUntilExit` in the test process then hangs as long as that ssh lives.
final class Spawned: Sendable {
    let child: ChildProcess
    var pid: pid_t { child.pid }

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

    /// Starts `argv` (argv[0] looked up on `PATH`) with `environment`; stdin from `stdinFD`
    /// (nil: /dev/null).
    init(
        _ argv: [String], environment: [String: String], stdinFD: Int32? = nil, stdout: Output,
        stderr: Output
    ) throws {
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        func stream(_ output: Output) throws -> ChildProcess.Stream {
            switch output {
            case .null: return .null
            case .fd(let fd): return .fd(fd)
            case .file(let path):
                let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
                guard fd >= 0 else {
                    throw Failed(
                        description: "cannot open \(path): \(String(cString: strerror(errno)))")
                }
                opened.append(fd)
                return .fd(fd)
            }
        }
        do {
            child = try ChildProcess.spawn(
                argv, environment: environment, stdin: stdinFD.map { .fd($0) } ?? .null,
                stdout: try stream(stdout), stderr: try stream(stderr))
        } catch let error as ChildProcess.SpawnError {
            throw Failed(description: "\(error)")
        }
    }

    var isRunning: Bool { child.exitCode == nil }
    var exitCode: Int32? { child.exitCode }

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
    static func run(_ argv: [String], stdin: String? = nil, stderr: Bool, seconds: Int) async throws
        -> (status: Int32, output: String)
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        try runBlocking(argv, stdin: stdin, stderr: stderr, seconds: seconds)
                    })
            }
        }
    }

    private static func runBlocking(_ argv: [String], stdin: String?, stderr: Bool, seconds: Int)
        throws -> (status: Int32, output: String)
    {
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else {
            throw Failed(description: "pipe: \(String(cString: strerror(errno)))")
        }
        // Close-on-exec: no other child spawned meanwhile holds these ends open (ours get them
        // through dup2, which clears the flag).
        for fd in input + output { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let child: Spawned
        do {
            child = try Spawned(
                ["timeout", "-k", "5", String(seconds)] + argv,
                environment: ProcessInfo.processInfo.environment,
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
