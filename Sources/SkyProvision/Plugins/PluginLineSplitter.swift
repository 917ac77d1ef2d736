import Foundation
import SkyCore

/// Splits a pipe's bytes into lines for a `readabilityHandler`; calls `emit(nil)` at EOF.
final class PluginLineSplitter: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    private let emit: @Sendable (String?) -> Void

    private init(emit: @escaping @Sendable (String?) -> Void) {
        self.emit = emit
    }

    static func handler(_ emit: @escaping @Sendable (String?) -> Void)
        -> @Sendable (FileHandle) -> Void
    {
        let splitter = PluginLineSplitter(emit: emit)
        return { handle in splitter.consume(handle) }
    }

    private func consume(_ handle: FileHandle) {
        let data = FDIO.readChunk(handle.fileDescriptor)
        lock.lock()
        defer { lock.unlock() }
        if data.isEmpty {
            handle.readabilityHandler = nil
            if !buffer.isEmpty {
                emit(String(decoding: buffer, as: UTF8.self))
                buffer.removeAll()
            }
            emit(nil)
            return
        }
        buffer.append(data)
        while let newline = buffer.firstIndex(of: 0x0A) {
            let line = buffer[buffer.startIndex..<newline]
            emit(String(decoding: line, as: UTF8.self))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
    }
}
