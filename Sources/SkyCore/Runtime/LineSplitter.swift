/// Splits a byte stream into the lines a terminal shows. A line ends at "\n" (dropped) and,
/// with `carriageReturns`, also at a lone "\r": a progress bar redrawing its line (tqdm and
/// the like). Such a segment is delivered at once with its "\r" kept, so it can be written
/// back as it came (`terminated`); "\r\n" within a chunk ends an ordinary line (split across
/// two chunks it gives a segment and an empty line, which a terminal shows the same way), and
/// an empty segment is dropped.
package struct LineSplitter {
    private let carriageReturns: Bool
    private var pending: [UInt8] = []

    package init(carriageReturns: Bool) {
        self.carriageReturns = carriageReturns
    }

    /// Feeds the next bytes; `emit` gets every line they complete. The bytes between line
    /// ends are copied in runs, not one by one (job output passes through here).
    package mutating func feed<Bytes: Collection>(_ bytes: Bytes, _ emit: (String) -> Void)
    where Bytes.Element == UInt8 {
        var runStart = bytes.startIndex
        var index = runStart
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard byte == Self.newline || (byte == Self.carriageReturn && carriageReturns) else {
                index = bytes.index(after: index)
                continue
            }
            pending.append(contentsOf: bytes[runStart..<index])
            index = bytes.index(after: index)
            if byte == Self.newline {
                emitLine(emit)
            } else if index != bytes.endIndex, bytes[index] == Self.newline {
                index = bytes.index(after: index)
                emitLine(emit)
            } else if !pending.isEmpty {
                pending.append(byte)
                emitLine(emit)
            }
            runStart = index
        }
        pending.append(contentsOf: bytes[runStart..<bytes.endIndex])
    }

    /// The end of the stream: what is left, as a last line (even without its line end).
    package mutating func finish(_ emit: (String) -> Void) {
        if !pending.isEmpty { emitLine(emit) }
    }

    /// `line` with its line end for writing out again: "\n" unless it is a "\r" segment.
    package static func terminated(_ line: String) -> String {
        line.hasSuffix("\r") ? line : line + "\n"
    }

    private mutating func emitLine(_ emit: (String) -> Void) {
        emit(String(decoding: pending, as: UTF8.self))
        pending.removeAll(keepingCapacity: true)
    }

    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
}
