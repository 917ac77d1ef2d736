import Foundation
import SkyCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One connection to a plugin listening on a unix socket. A plain thread reads its lines (no
/// dispatch source watches the descriptor), and the descriptor is closed only once both that
/// reader and the owner are done with it: never under a read or a write, and its number is not
/// reused while either may still use it.
final class PluginSocket: Sendable {
    private let fd: Int32
    private let state = Mutex<(readerDone: Bool, released: Bool)>((false, false))

    /// Connects and starts reading: `onLine` for every line, then `onClose` once at the end.
    init(
        path: String, onLine: @escaping @Sendable (String) -> Void,
        onClose: @escaping @Sendable () -> Void
    ) throws {
        fd = try UnixSocket.connect(path)
        BlockingThread.start("sky-plugin-sock") { [self] in
            FDIO.forEachLine(fd, onLine)
            onClose()
            finishReading()
        }
    }

    /// Writes all of `data`; false once released.
    func write(_ data: Data) -> Bool {
        state.withLock { state in
            guard !state.released else { return false }
            FDIO.writeAll(fd, data)
            return true
        }
    }

    /// Ends the connection (the reader sees its end); closes the descriptor once the reader
    /// is done with it.
    func release() {
        let close = state.withLock { state -> Bool in
            guard !state.released else { return false }
            state.released = true
            shutdown(fd, Int32(SHUT_RDWR))
            return state.readerDone
        }
        if close { Glibc.close(fd) }
    }

    private func finishReading() {
        let close = state.withLock { state -> Bool in
            state.readerDone = true
            return state.released
        }
        if close { Glibc.close(fd) }
    }
}
