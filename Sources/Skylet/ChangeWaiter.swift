import Glibc

/// Waits until something changes in a few folders (inotify: a file in them written, created,
/// moved in or closed after writing), so a log follower wakes when the driver writes the log or
/// records the job's end instead of polling on a timer. inotify sees the writes of processes
/// on this machine, on any filesystem (an NFS home included), which is where a job's driver runs:
/// the follower runs on the head beside it. Where inotify cannot be had (no instance left) the
/// waiter sleeps instead, as the follower did before.
final class ChangeWaiter {
    private let fd: Int32

    /// Watches each folder of `directories` that exists now.
    init(directories: [String]) {
        let fd = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        var watching = false
        if fd >= 0 {
            let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE)
            for directory in directories where inotify_add_watch(fd, directory, mask) >= 0 {
                watching = true
            }
        }
        if fd >= 0, !watching { close(fd) }
        self.fd = watching ? fd : -1
    }

    /// Whether changes wake the waiter (else `wait` only sleeps).
    var isWatching: Bool { fd >= 0 }

    /// Returns when something changed since the last call (at once if it already had) or after
    /// `timeoutMilliseconds`; true when a change woke it. Without a watch it sleeps
    /// `fallbackMilliseconds` and returns false.
    @discardableResult
    func wait(timeoutMilliseconds: Int32, fallbackMilliseconds: Int32) -> Bool {
        guard fd >= 0 else {
            usleep(useconds_t(max(0, fallbackMilliseconds)) * 1000)
            return false
        }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, timeoutMilliseconds) > 0 else { return false }
        drain()
        return true
    }

    /// Reads the queued events (their content does not matter: the caller looks again).
    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}
