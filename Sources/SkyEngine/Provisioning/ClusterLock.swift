import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A per-cluster exclusive lock across `sky` processes: `flock` on
/// `$SKY_HOME/locks/<cluster>.lock`, polled so no thread blocks. Released when the holder
/// exits, even on `kill -9`.
final class ClusterLock: Sendable {
    let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Waits for the lock; calls `waiting` once if another process holds it.
    static func acquire(home: String, cluster: String, waiting: @Sendable () -> Void = {})
        async throws -> ClusterLock
    {
        let directory = home + "/locks"
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/\(cluster).lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw EngineError.lockFailed(cluster: cluster, path: path) }
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(fd)
                throw EngineError.lockFailed(cluster: cluster, path: path)
            }
            if !told {
                waiting()
                told = true
            }
            do {
                try await _Concurrency.Task.sleep(for: .milliseconds(100))
            } catch {
                close(fd)
                throw error
            }
        }
        return ClusterLock(path: path, fd: fd)
    }

    /// Takes the lock only if nobody holds it; nil otherwise.
    static func tryAcquire(home: String, cluster: String) throws -> ClusterLock? {
        let directory = home + "/locks"
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/\(cluster).lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw EngineError.lockFailed(cluster: cluster, path: path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return ClusterLock(path: path, fd: fd)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// Runs `body` holding the lock of `cluster`.
    static func with<T>(
        home: String, cluster: String, waiting: @Sendable () -> Void = {},
        _ body: () async throws -> T
    ) async throws -> T {
        let lock = try await acquire(home: home, cluster: cluster, waiting: waiting)
        defer { withExtendedLifetime(lock) {} }
        return try await body()
    }
}
