import Foundation
import SkyCore
import SkyRuntime
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.timeLimit(.minutes(2)))
struct ProcessExecutionTests {
    /// What `ssh` does as it starts: close every inherited descriptor above 2, then live on.
    /// With Foundation's `Process`, whose one reaper thread then blocks in `waitpid` on that
    /// child, no other child's exit was noticed until it ended (CI hung on this).
    @Test func aLongChildClosingItsDescriptorsDoesNotHoldUpTheOthers() async throws {
        let lines = Mutex<[String]>([])
        let long = _Concurrency.Task {
            try await ProcessExecution.run(
                [
                    "python3", "-c",
                    "import os, time; os.closerange(3, 65536); print('up', flush=True); time.sleep(100)",
                ], onStdoutLine: { line in lines.withLock { $0.append(line) } })
        }
        // Up and past its descriptors (on a loaded machine python may take a while to start).
        for _ in 0..<200 where lines.withLock({ $0.isEmpty }) {
            try await _Concurrency.Task.sleep(for: .milliseconds(50))
        }
        for code in 0..<5 {
            let result = try await ProcessExecution.run([
                "sh", "-c", "echo out-\(code); echo err-\(code) >&2; exit \(code)",
            ])
            #expect(result.exitCode == Int32(code))
            #expect(result.stdout == "out-\(code)\n")
            #expect(result.stderr == "err-\(code)\n")
        }
        long.cancel()
        let ended = try await long.value
        #expect(ended.exitCode == 128 + SIGTERM)
        #expect(lines.withLock { $0 } == ["up"])
    }

    /// A child's pipes block their readers until it closes them; on `DispatchQueue.global()`
    /// (as many threads as cores on Linux, shared with Swift's tasks) two such readers on a
    /// 2-core machine stalled every task, a Ctrl-C's clean-up included, for up to a second.
    @Test func pipesAreReadByThreadsOfTheirOwn() async throws {
        let names = Mutex<[String]>([])
        let result = try await ProcessExecution.run(
            ["sh", "-c", "echo line"],
            onStdoutLine: { _ in names.withLock { $0.append(BlockingThread.currentName) } })
        #expect(result.exitCode == 0)
        #expect(names.withLock { $0 } == ["sky-stdout"])
    }

    @Test func stdinEnvironmentDirectoryAndSignals() async throws {
        let echo = try await ProcessExecution.run(
            ["sh", "-c", "cat; echo \" $GREETING $(pwd)\""],
            environment: ["GREETING": "hi", "PATH": "/usr/bin:/bin"],
            cwd: "/tmp", stdin: Data("fed".utf8))
        #expect(echo.stdout == "fed hi /tmp\n")
        let killed = try await ProcessExecution.run(["sh", "-c", "kill -KILL $$"])
        #expect(killed.exitCode == 128 + SIGKILL)
        await #expect(throws: ProcessExecutionError.self) {
            _ = try await ProcessExecution.run(["/nonexistent/tool"])
        }
    }

    /// The child gets only fds 0-2: a descriptor of ours without close-on-exec is not inherited.
    @Test func theChildGetsOnlyItsStandardStreams() async throws {
        let fd = open("/dev/null", O_RDONLY)
        defer { close(fd) }
        #expect(fd > 2)
        let result = try await ProcessExecution.run(["sh", "-c", "ls /proc/self/fd"])
        let fds = result.stdout.split(separator: "\n").compactMap { Int32($0) }
        // `ls` itself opens one descriptor, for the directory it lists.
        #expect(fds.filter { $0 > 2 }.count == 1, "\(fds)")
    }
}
