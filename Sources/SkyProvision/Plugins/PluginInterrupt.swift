import Dispatch
import Foundation

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
    private var source: (any DispatchSourceSignal)?
    private var interrupted = false

    /// Watches `host`'s pending calls; installs the SIGINT handler on first use.
    func register(_ host: PluginHost) {
        lock.lock()
        defer { lock.unlock() }
        hosts = hosts.filter { $0.value.host != nil }
        hosts[ObjectIdentifier(host)] = WeakHost(host)
        guard source == nil else { return }
        signal(SIGINT, SIG_IGN)
        let signalSource = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        signalSource.setEventHandler { [weak self] in self?.interrupt() }
        signalSource.resume()
        source = signalSource
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
