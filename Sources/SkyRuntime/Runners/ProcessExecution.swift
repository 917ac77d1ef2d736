import Foundation
import SkyCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Errors of running a local process.
package enum ProcessExecutionError: Error, CustomStringConvertible {
    case launchFailed(executable: String, reason: String)

    package var description: String {
        switch self {
        case .launchFailed(let executable, let reason):
            "Could not start '\(executable)': \(reason). Check that it is installed and on PATH."
        }
    }
}

/// Runs one local process with pipes, off the cooperative thread pool (`ChildProcess`: not
/// Foundation's `Process`, whose single reaper thread a running `ssh` blocks; its pipes are
/// read and written by threads of their own, `BlockingThread`). The child runs
/// in its own process group, so cancelling the calling task kills the whole group (SIGTERM,
/// then SIGKILL after a grace period).
package enum ProcessExecution {
    /// Runs `argv` (looked up on `PATH` through `/usr/bin/env` unless absolute).
    /// `onStdoutLine`, when given, receives stdout line by line (without the newline) as it
    /// arrives; the lines are then not collected in the result's `stdout`.
    package static func run(
        _ argv: [String], environment: [String: String]? = nil, cwd: String? = nil,
        stdin: Data? = nil, onStdoutLine: (@Sendable (String) -> Void)? = nil
    ) async throws -> CommandResult {
        _ = ignoreSIGPIPE
        guard let first = argv.first else {
            throw ProcessExecutionError.launchFailed(executable: "", reason: "empty command")
        }
        // Close-on-exec pipes: a process spawned concurrently by another thread must not
        // inherit our write ends (a daemon it leaves behind would hold our EOF forever).
        let outPipe = try CloexecPipe()
        let errPipe = try CloexecPipe()
        let inPipe: CloexecPipe? = stdin == nil ? nil : try CloexecPipe()
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(
                argv, environment: environment, cwd: cwd,
                stdin: inPipe.map { .fd($0.read.fileDescriptor) } ?? .null,
                stdout: .fd(outPipe.write.fileDescriptor), stderr: .fd(errPipe.write.fileDescriptor)
            )
        } catch {
            throw ProcessExecutionError.launchFailed(executable: first, reason: "\(error)")
        }
        // The child has its copies; ours must go so EOF can arrive.
        try? outPipe.write.close()
        try? errPipe.write.close()
        try? inPipe?.read.close()

        let state = Mutex<(out: Data, err: Data)>((Data(), Data()))
        return await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<CommandResult, Never>) in
                let group = DispatchGroup()
                if let inPipe, let stdin {
                    BlockingThread.start("sky-stdin") {
                        // A child that exits early closes its end: ignore SIGPIPE-style errors.
                        try? inPipe.write.write(contentsOf: stdin)
                        try? inPipe.write.close()
                    }
                }
                group.enter()
                child.onExit { _ in group.leave() }
                group.enter()
                BlockingThread.start("sky-stdout") {
                    readAll(outPipe.read, onLine: onStdoutLine) { data in
                        state.withLock { $0.out.append(data) }
                    }
                    group.leave()
                }
                group.enter()
                BlockingThread.start("sky-stderr") {
                    readAll(errPipe.read, onLine: nil) { data in
                        state.withLock { $0.err.append(data) }
                    }
                    group.leave()
                }
                group.notify(queue: .global()) {
                    let (out, err) = state.withLock { ($0.out, $0.err) }
                    continuation.resume(
                        returning: CommandResult(
                            exitCode: child.exitCode ?? 255,
                            stdout: String(decoding: out, as: UTF8.self),
                            stderr: String(decoding: err, as: UTF8.self)))
                }
            }
        } onCancel: {
            child.signalGroup(SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + 3) { child.signalGroup(SIGKILL) }
        }
    }

    /// Runs a command whose children may outlive it (`ssh -fN`): stdin and stdout are
    /// /dev/null and stderr goes to a temporary file, so no pipe stays open after it exits.
    /// Returns the exit code and stderr.
    package static func runDetached(_ argv: [String]) async throws -> (Int32, String) {
        let logPath = NSTemporaryDirectory() + "/sky-detached-\(UUID().uuidString).log"
        let log = open(logPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard log >= 0 else {
            throw ProcessExecutionError.launchFailed(
                executable: argv.first ?? "", reason: "cannot create \(logPath)")
        }
        // Unnamed at once: nothing is left in /tmp whatever ends this process (Ctrl-C while
        // the command runs); the file lives on while the child and this descriptor hold it.
        unlink(logPath)
        defer { close(log) }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(argv, stderr: .fd(log))
        } catch {
            throw ProcessExecutionError.launchFailed(
                executable: argv.first ?? "", reason: "\(error)")
        }
        let code = await child.wait()
        lseek(log, 0, SEEK_SET)
        return (code, String(decoding: FDIO.readAll(log), as: UTF8.self))
    }

    /// Writing stdin to a child that already exited must fail with EPIPE, not kill us.
    private static let ignoreSIGPIPE: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// Reads a pipe to EOF. With `onLine`, lines go there as a terminal shows them (a last
    /// unterminated line too; a progress bar's "\r" segments as they come: `LineSplitter`);
    /// otherwise chunks go to `collect`.
    private static func readAll(
        _ handle: FileHandle, onLine: (@Sendable (String) -> Void)?,
        collect: (Data) -> Void
    ) {
        var splitter = LineSplitter(carriageReturns: true)
        while true {
            let chunk = FDIO.readChunk(handle.fileDescriptor)
            if chunk.isEmpty { break }
            if let onLine { splitter.feed(chunk, onLine) } else { collect(chunk) }
        }
        if let onLine { splitter.finish(onLine) }
    }
}

/// A pipe whose both ends are close-on-exec (`pipe` + `FD_CLOEXEC` at once); the spawn dup2s
/// the child's end onto 0/1/2, which clears the flag for the child only.
struct CloexecPipe {
    let read: FileHandle
    let write: FileHandle

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw ProcessExecutionError.launchFailed(executable: "pipe", reason: "errno \(errno)")
        }
        for fd in fds { _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC) }
        read = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        write = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
    }
}
