#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on a file (`flock`), held across OS processes while `body`
/// runs. Used only around schema migrations, which SQLite transactions cannot cover.
enum FileLock {
    static func withExclusiveLock<T>(path: String, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StateError.cannotOpen(
                path: path, reason: "cannot open lock file (errno \(errno))")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw StateError.cannotOpen(path: path, reason: "cannot lock (errno \(errno))")
            }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
