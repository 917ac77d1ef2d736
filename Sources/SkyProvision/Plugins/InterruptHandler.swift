import Foundation
import SkyCore
import Synchronization

/// Write end of the self-pipe the signal handler writes to (set once, before the handler).
private nonisolated(unsafe) var interruptPipeWrite: Int32 = -1

/// The SIGINT, SIGTERM and SIGHUP handler: async-signal-safe, it only writes the signal's
/// number to the self-pipe.
private func onInterruptSignal(_ signal: Int32) {
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(interruptPipeWrite, &byte, 1)
}

/// What Ctrl-C does once sky has something to finish or to say (before that, SIGINT ends sky
/// at once): every pending call of every live plugin gets a `cancel` notification (the plugin
/// can stop what it started); state writes a command registered (`holdExit`) finish, for up to
/// five seconds; every other child (a log follower, a transfer) gets SIGTERM; the notice a
/// command set is printed (a followed job keeps running: how to follow or cancel it); then sky
/// exits with status 130 as an uncaught SIGINT would. `kill` (SIGTERM) and a closed terminal
/// (SIGHUP) are handled the same way and exit 143 and 129. A second signal exits at once.
/// Only the CLI uses it (`enable()`; a process with signal handling of its own, the operator,
/// does not): installed when sky starts its first child process or a notice or a hold is set
/// (a command with neither ends at once, as before). Children run in process groups of their
/// own, so a terminal's Ctrl-C does not reach them: without this, `sky logs` ended by Ctrl-C
/// or `kill` left its `srun`/`ssh` follower streaming to no one until the job ended.
/// Plugins ignore SIGINT themselves (PROTOCOL.md) and rely on `cancel`.
package final class InterruptHandler: @unchecked Sendable {
    package static let shared = InterruptHandler()

    private final class WeakHost {
        weak var host: PluginHost?
        init(_ host: PluginHost) { self.host = host }
    }

    private let lock = NSLock()
    private var hosts: [ObjectIdentifier: WeakHost] = [:]
    private var enabled = false
    private var installed = false
    private var sawInterrupt = false
    private var notice: String?
    private var holds: [_Concurrency.Task<Void, Never>] = []

    /// The plugin children, collected while their calls are cancelled.
    private final class PIDs: Sendable {
        private let pids = Mutex<Set<pid_t>>([])
        func insert(_ pid: pid_t) { pids.withLock { _ = $0.insert(pid) } }
        var all: Set<pid_t> { pids.withLock { $0 } }
    }

    /// Lets the handler install itself on first use (the CLI calls it as it starts).
    package func enable() {
        lock.lock()
        enabled = true
        lock.unlock()
        ChildProcess.onFirstSpawn { [self] in
            lock.lock()
            defer { lock.unlock() }
            installLocked()
        }
    }

    /// Ctrl-C (or SIGTERM, SIGHUP) arrived: sky is finishing what it must, then exits.
    package var interrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return sawInterrupt
    }

    /// Watches `host`'s pending calls; installs the signal handler on first use.
    func register(_ host: PluginHost) {
        lock.lock()
        defer { lock.unlock() }
        hosts = hosts.filter { $0.value.host != nil }
        hosts[ObjectIdentifier(host)] = WeakHost(host)
        installLocked()
    }

    /// What Ctrl-C prints from now on instead of its own line (installs the signal handler).
    package func setNotice(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        notice = text
        installLocked()
    }

    /// Ctrl-C lets `task` (a state write) end before sky exits, for up to five seconds.
    package func holdExit<Failure: Error>(for task: _Concurrency.Task<Void, Failure>) {
        lock.lock()
        defer { lock.unlock() }
        holds.append(_Concurrency.Task { _ = await task.result })
        installLocked()
    }

    private func installLocked() {
        guard enabled, !installed else { return }
        installed = true
        // A self-pipe read by a plain thread: no work in the signal handler itself.
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        interruptPipeWrite = fds[1]
        let readEnd = fds[0]
        BlockingThread.start("sky-interrupt") { [weak self] in
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    self?.interrupt(by: Int32(byte))
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        for handled in [SIGINT, SIGTERM, SIGHUP] { signal(handled, onInterruptSignal) }
    }

    /// Finishes what must be and exits `128 + signal`, as the uncaught signal would have.
    private func interrupt(by signal: Int32) {
        lock.lock()
        let again = sawInterrupt
        sawInterrupt = true
        let live = hosts.values.compactMap(\.host)
        let notice = self.notice
        let holds = self.holds
        lock.unlock()
        if again { exit(128 + signal) }
        // Not FileHandle's write, which traps on an error (a closed terminal, after SIGHUP).
        if let text = notice ?? (live.isEmpty ? nil : "Interrupted: cancelling plugin calls ...") {
            FDIO.writeAll(STDERR_FILENO, Data("\n\(text)\n".utf8))
        }
        // On a thread of its own: this one keeps reading, so a second Ctrl-C exits at once.
        BlockingThread.start("sky-exiting") {
            let done = DispatchSemaphore(value: 0)
            let plugins = PIDs()
            _Concurrency.Task.detached {
                for host in live {
                    await host.cancelPending()
                    if let pid = await host.processID { plugins.insert(pid) }
                }
                for hold in holds { await hold.value }
                done.signal()
            }
            _ = done.wait(timeout: .now() + 5)
            // The plugins stop on `cancel` and on the end of their stdin; every other child
            // (a log follower, a transfer) is stopped here.
            ChildProcess.signalAll(SIGTERM, except: plugins.all)
            exit(128 + signal)
        }
    }
}
