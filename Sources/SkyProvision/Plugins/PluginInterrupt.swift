import Foundation

/// Write end of the self-pipe the SIGINT handler writes to (set once, before the handler).
private nonisolated(unsafe) var interruptPipeWrite: Int32 = -1

/// The SIGINT handler: async-signal-safe, it only writes one byte to the self-pipe.
private func onInterruptSignal(_: Int32) {
    var byte: UInt8 = 1
    _ = write(interruptPipeWrite, &byte, 1)
}

/// Ctrl-C while plugins run: every pending call of every live plugin gets a `cancel`
/// notification (the plugin can stop what it started), then sky exits with status 130 as an
/// uncaught SIGINT would. A second Ctrl-C exits at once. Installed when the first plugin child
/// starts; plugins ignore SIGINT themselves (PROTOCOL.md) and rely on `cancel`.
final class PluginInterrupt: @unchecked Sendable {
    static let shared = PluginInterrupt()

    private final class WeakHost {
        weak var host: PluginHost?
        init(_ host: PluginHost) { self.host = host }
    }

    private let lock = NSLock()
    private var hosts: [ObjectIdentifier: WeakHost] = [:]
    private var installed = false
    private var interrupted = false

    /// Watches `host`'s pending calls; installs the SIGINT handler on first use.
    func register(_ host: PluginHost) {
        lock.lock()
        defer { lock.unlock() }
        hosts = hosts.filter { $0.value.host != nil }
        hosts[ObjectIdentifier(host)] = WeakHost(host)
        guard !installed else { return }
        installed = true
        // A self-pipe read by a plain thread: no work in the signal handler itself.
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        interruptPipeWrite = fds[1]
        let readEnd = fds[0]
        let thread = Thread { [weak self] in
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    self?.interrupt()
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        thread.name = "sky-plugin-interrupt"
        thread.start()
        signal(SIGINT, onInterruptSignal)
    }

    private func interrupt() {
        lock.lock()
        let again = interrupted
        interrupted = true
        let live = hosts.values.compactMap(\.host)
        lock.unlock()
        if again { exit(130) }
        FileHandle.standardError.write(Data("\nInterrupted: cancelling plugin calls ...\n".utf8))
        _Concurrency.Task.detached {
            await withTaskGroup(of: Void.self) { group in
                for host in live { group.addTask { await host.cancelPending() } }
            }
            exit(130)
        }
    }
}
