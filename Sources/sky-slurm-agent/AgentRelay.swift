import Foundation
import SkyCore
import SkySlurm

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The child pid the relay forwards SIGTERM / SIGHUP to (read by the signal handler).
nonisolated(unsafe) private var relayChild: pid_t = 0

/// Runs the command in `SKY_SLURM_AGENT_EXEC` (the ssh that starts the agent on the login
/// node) as a child that shares this process's stdin, stdout and stderr (the plugin host's
/// pipes), waits for it and exits with its status; SIGTERM / SIGHUP are passed on. Not `exec`:
/// ssh closes every inherited descriptor it does not know (closefrom), and a host that learns
/// of its child's exit through such a descriptor (Foundation's `Process` did) would wait on
/// ssh for its whole life; this process keeps every descriptor until ssh ends.
enum AgentRelay {
    /// Returns the exit status to use.
    static func run(_ json: String) -> Int32 {
        guard case .array(let items)? = try? JSONValue.parse(Data(json.utf8)) else {
            FileHandle.standardError.write(Data("sky-slurm-agent: invalid relay command\n".utf8))
            return 2
        }
        let argv = items.compactMap(\.stringValue)
        guard let program = argv.first, argv.count == items.count else {
            FileHandle.standardError.write(Data("sky-slurm-agent: empty relay command\n".utf8))
            return 2
        }
        unsetenv(SlurmAgentWire.relayKey)
        // Ctrl-C reaches sky, which cancels calls itself; the host ends us with SIGTERM.
        signal(SIGINT, SIG_IGN)
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArgs.append(nil)
        defer { for pointer in cArgs { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, program, nil, nil, cArgs, environ)
        guard rc == 0 else {
            let reason = String(cString: strerror(rc))
            FileHandle.standardError.write(
                Data("sky-slurm-agent: cannot run \(program): \(reason)\n".utf8))
            return 127
        }
        relayChild = pid
        let forward: @convention(c) (Int32) -> Void = { signal in
            if relayChild > 0 { kill(relayChild, signal) }
        }
        signal(SIGTERM, forward)
        signal(SIGHUP, forward)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return 1 }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG as the C macros compute them.
        let signalNumber = status & 0x7f
        if signalNumber == 0 { return (status >> 8) & 0xff }
        return 128 + signalNumber
    }
}
