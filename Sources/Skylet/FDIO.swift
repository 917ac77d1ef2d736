import Foundation
import Glibc
import Synchronization

/// Blocking reads and writes on raw file descriptors.
enum FDIO {
    static func writeAll(_ fd: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            guard var base = raw.baseAddress else { return }
            var left = raw.count
            while left > 0 {
                let n = write(fd, base, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                left -= n
                base = base.advanced(by: n)
            }
        }
    }

    static func readAll(_ fd: Int32) -> Data {
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
    /// unterminated line is delivered too). Invalid UTF-8 is replaced.
    static func forEachLine(_ fd: Int32, _ onLine: (String) -> Void) {
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            var start = 0
            for i in 0..<n where buffer[i] == UInt8(ascii: "\n") {
                pending.append(contentsOf: buffer[start..<i])
                onLine(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
                start = i + 1
            }
            pending.append(contentsOf: buffer[start..<n])
        }
        if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
    }
}

/// A value produced on one thread and awaited on another.
final class LockedData: Sendable {
    private let value = Mutex<Data?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func set(_ data: Data) {
        value.withLock { $0 = data }
        ready.signal()
    }

    func waitForValue() -> Data {
        ready.wait()
        return value.withLock { $0 } ?? Data()
    }
}
