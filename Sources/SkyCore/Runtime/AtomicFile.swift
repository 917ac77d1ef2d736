import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a file in one step: the bytes go to a temporary file beside it, which is then
/// renamed over it, so a reader sees the old file or the new one, never a part. No `fsync`:
/// Foundation's atomic writes sync every file, which costs tens of milliseconds on a launch's
/// path, for files (cluster descriptions, pid files, rc files) that are written again when
/// lost.
package enum AtomicFile {
    package struct WriteError: Error, CustomStringConvertible {
        package let path: String
        package let errno: Int32

        package var description: String {
            "Could not write \(path): \(String(cString: strerror(errno)))."
        }
    }

    package static func write(_ data: Data, to path: String, permissions: mode_t = 0o644) throws {
        let temporary = path + ".tmp.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw WriteError(path: path, errno: errno) }
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            guard var base = raw.baseAddress else { return }
            var left = raw.count
            while left > 0 {
                let n = Glibc.write(fd, base, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                left -= n
                base = base.advanced(by: n)
            }
        }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw WriteError(path: path, errno: failure)
        }
    }

    package static func write(_ text: String, to path: String, permissions: mode_t = 0o644)
        throws
    {
        try write(Data(text.utf8), to: path, permissions: permissions)
    }
}
