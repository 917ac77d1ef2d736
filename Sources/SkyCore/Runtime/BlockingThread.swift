import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs work that blocks (a `read` of a pipe until the child closes it, a `write` into one) on
/// a thread of its own. `DispatchQueue.global()` is no place for it: on Linux its threads are
/// as many as the cores and Swift's tasks share them, so two pipe readers on a 2-core machine
/// starve every task (a Ctrl-C's clean-up, a state write) until libdispatch's monitor adds a
/// thread, up to a second later.
package enum BlockingThread {
    /// Starts `body` on a new thread named `name` (at most 15 bytes; `ps -L` and gdb show it).
    package static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            // Foundation names a thread only for itself; the system's name is the comm file.
            let comm = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            if comm >= 0 {
                FDIO.writeAll(comm, Data(name.utf8.prefix(15)))
                close(comm)
            }
            body()
        }
        thread.start()
    }

    /// The calling thread's name as the system knows it.
    package static var currentName: String {
        let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return comm.trimmingCharacters(in: .newlines)
    }
}
