import Foundation

/// A small, allocation-light CSV reader for SkyPilot catalog files (RFC 4180 quoting: fields in
/// double quotes may contain commas, doubled quotes and newlines). It walks the raw bytes once
/// and hands each record to the caller as byte ranges, so callers only build the strings and
/// numbers they need.
struct CSVScanner {
    let bytes: [UInt8]

    init(data: Data) {
        self.bytes = [UInt8](data)
    }

    /// One record: the byte ranges of its fields, with quotes already removed from the range
    /// (a doubled quote inside a quoted field is reported through `hasEscapedQuote`).
    struct Record {
        var fields: [Range<Int>] = []
        var escaped: [Bool] = []
    }

    /// Calls `body` for every non-empty record, in file order (the header included).
    func forEachRecord(_ body: (Record) throws -> Void) rethrows {
        var record = Record()
        record.fields.reserveCapacity(16)
        record.escaped.reserveCapacity(16)
        let count = bytes.count
        var index = 0
        try bytes.withUnsafeBufferPointer { buffer in
            while index < count {
                record.fields.removeAll(keepingCapacity: true)
                record.escaped.removeAll(keepingCapacity: true)
                var endOfRecord = false
                while !endOfRecord {
                    if index < count && buffer[index] == UInt8(ascii: "\"") {
                        // Quoted field.
                        index += 1
                        let start = index
                        var escaped = false
                        while index < count {
                            if buffer[index] == UInt8(ascii: "\"") {
                                if index + 1 < count && buffer[index + 1] == UInt8(ascii: "\"") {
                                    escaped = true
                                    index += 2
                                    continue
                                }
                                break
                            }
                            index += 1
                        }
                        record.fields.append(start..<min(index, count))
                        record.escaped.append(escaped)
                        index += 1  // closing quote
                        // Skip anything up to the separator.
                        while index < count && buffer[index] != UInt8(ascii: ",")
                            && buffer[index] != UInt8(ascii: "\n")
                        {
                            index += 1
                        }
                    } else {
                        let start = index
                        while index < count && buffer[index] != UInt8(ascii: ",")
                            && buffer[index] != UInt8(ascii: "\n")
                        {
                            index += 1
                        }
                        var end = index
                        if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                        record.fields.append(start..<end)
                        record.escaped.append(false)
                    }
                    if index >= count || buffer[index] == UInt8(ascii: "\n") {
                        endOfRecord = true
                    }
                    index += 1
                }
                if record.fields.count == 1 && record.fields[0].isEmpty { continue }
                try body(record)
            }
        }
    }

    /// The text of a field.
    func string(_ record: Record, _ field: Int) -> String {
        guard field < record.fields.count else { return "" }
        let range = record.fields[field]
        if range.isEmpty { return "" }
        let text = bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
        }
        return record.escaped[field] ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }

    /// Whether a field is empty (a missing value in pandas terms).
    func isEmpty(_ record: Record, _ field: Int) -> Bool {
        field >= record.fields.count || record.fields[field].isEmpty
    }

    /// A field as a number; nil when empty or not a number (`nan`, text).
    func double(_ record: Record, _ field: Int) -> Double? {
        guard field < record.fields.count else { return nil }
        let range = record.fields[field]
        if range.isEmpty { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Double? in
            Self.parseDouble(UnsafeBufferPointer(rebasing: buffer[range]))
        }
    }

    /// Parses a plain decimal number (`12`, `0.94803`, `1e-3`, `-2.5`). Falls back to
    /// `Double(String)` for anything unusual.
    static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let count = bytes.count
        var negative = false
        if index < count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawDot = false
        while index < count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits < 18 {
                    mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                    digits += 1
                    if sawDot { fractionDigits += 1 }
                } else if !sawDot {
                    return Double(String(decoding: bytes, as: UTF8.self))
                }
            } else if byte == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else {
                return Double(String(decoding: bytes, as: UTF8.self))
            }
            index += 1
        }
        if digits == 0 { return nil }
        var value = Double(mantissa)
        if fractionDigits > 0 { value /= powersOfTen[fractionDigits] }
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...18).map { pow(10.0, Double($0)) }
}
