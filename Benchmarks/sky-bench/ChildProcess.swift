import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command started with `posix_spawn` and reaped with `waitpid`: no Foundation `Process`,
/// whose `waitUntilExit` polls a run loop every 50 ms and so added ~40 ms to every figure.
/// stdin is /dev/null, stderr goes to a temporary file (its first line explains a failure),
/// stdout to /dev/null or to a pipe the caller reads.
struct ChildProcess {
    let pid: pid_t
    /// Read end of the stdout pipe (`captureOutput`), else -1.
    let outputFD: Int32
    private let errorPath: String

    init(argv: [String], captureOutput: Bool) throws {
        errorPath = NSTemporaryDirectory() + "sky-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var pipeFDs: [Int32] = [-1, -1]
        if captureOutput {
            guard pipe(&pipeFDs) == 0 else { throw BenchError.cannotRun("pipe failed: errno \(errno)") }
            posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
            posix_spawn_file_actions_addclose(&actions, pipeFDs[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        let path = CommandTimer.resolve(argv[0])
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArgs.append(nil)
        defer { for arg in cArgs { free(arg) } }
        var child: pid_t = 0
        // A clean signal mask and default handlers, whatever this thread blocks.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let rc = posix_spawn(&child, path, &actions, &attributes, cArgs, environ)
        if captureOutput { close(pipeFDs[1]) }
        guard rc == 0 else {
            if captureOutput { close(pipeFDs[0]) }
            unlink(errorPath)
            throw BenchError.cannotRun("cannot run \(argv[0]): \(String(cString: strerror(rc)))")
        }
        pid = child
        outputFD = captureOutput ? pipeFDs[0] : -1
    }

    /// Waits for the child and returns the CPU time it used (user + system, ms); throws with
    /// stderr's first line unless it exited 0.
    @discardableResult
    func wait() throws -> Double {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError.cannotRun("wait4 failed: errno \(errno)") }
        }
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
        if outputFD >= 0 { close(outputFD) }
        let errorText = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        unlink(errorPath)
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            let firstLine = errorText.split(separator: "\n").first.map { String($0.prefix(80)) } ?? ""
            let how = exited ? "exit \(code)" : "killed by signal \(status & 0x7f)"
            throw BenchError.cannotRun(how + (firstLine.isEmpty ? "" : ": \(firstLine)"))
        }
        return cpu
    }
}
