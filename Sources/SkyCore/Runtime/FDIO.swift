import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Blocking reads and writes on raw file descriptors.
package enum FDIO {
    /// Writes all of `data`, retrying on EINTR; returns 0, or the `errno` of the write that
    /// failed (EPIPE: the reader is gone). Never traps, unlike `FileHandle.write(_:)`.
    @discardableResult
    package static func writeAll(_ fd: Int32, _ data: Data) -> Int32 {
        data.withUnsafeBytes { raw -> Int32 in
            guard var base = raw.baseAddress else { return 0 }
            var left = raw.count
            while left > 0 {
                let n = write(fd, base, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                left -= n
                base = base.advanced(by: n)
            }
            return 0
        }
    }

    /// One `read` of up to `max` bytes, retried on EINTR (a signal such as Ctrl-C arriving
    /// mid-read). Empty = EOF or an error. `FileHandle.availableData` traps on EINTR instead.
    package static func readChunk(_ fd: Int32, max: Int = 65536) -> Data {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let n = read(fd, &buffer, max)
            if n < 0 && errno == EINTR { continue }
            return n > 0 ? Data(buffer[0..<n]) : Data()
        }
    }

    package static func readAll(_ fd: Int32) -> Data {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            result.append(contentsOf: buffer[0..<n])
        }
        return result
    }

    /// Reads `fd` until EOF, calling `onLine` for every line (without the newline; a last
    /// unterminated line is delivered too). Invalid UTF-8 is replaced. `carriageReturns`:
    /// a lone "\r" ends a segment too (`LineSplitter`).
    package static func forEachLine(
        _ fd: Int32, carriageReturns: Bool = false, _ onLine: (String) -> Void
    ) {
        var splitter = LineSplitter(carriageReturns: carriageReturns)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            splitter.feed(buffer[0..<n], onLine)
        }
        splitter.finish(onLine)
    }
}
