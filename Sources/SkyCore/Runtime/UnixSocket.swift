import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Stream sockets on a filesystem path (`AF_UNIX`): a listening plugin and its clients.
package enum UnixSocket {
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package let path: String
        package let operation: String
        package let code: Int32

        package init(path: String, operation: String, code: Int32) {
            self.path = path
            self.operation = operation
            self.code = code
        }

        package var description: String {
            "\(operation) \(path): \(String(cString: strerror(code)))"
        }
    }

    /// The longest path a `sockaddr_un` holds (its terminating NUL excluded).
    package static let maxPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// A connected descriptor (close-on-exec), or why not (`ENOENT`, `ECONNREFUSED`, ...).
    package static func connect(_ path: String) throws(Failure) -> Int32 {
        let fd = try socketFD(path)
        let result = withAddress(path) { address, length in Glibc.connect(fd, address, length) }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure(path: path, operation: "connect", code: code)
        }
        return fd
    }

    /// A listening descriptor bound to `path` (which must not exist), readable and writable by
    /// this user only.
    package static func listen(_ path: String, backlog: Int32 = 64) throws(Failure) -> Int32 {
        let fd = try socketFD(path)
        let previous = umask(0o177)
        let bound = withAddress(path) { address, length in bind(fd, address, length) }
        umask(previous)
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw Failure(path: path, operation: "listen on", code: code)
        }
        return fd
    }

    private static func socketFD(_ path: String) throws(Failure) -> Int32 {
        guard path.utf8.count <= maxPathLength else {
            throw Failure(path: path, operation: "use", code: ENAMETOOLONG)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(path: path, operation: "socket for", code: errno) }
        return fd
    }

    private static func withAddress(
        _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}
