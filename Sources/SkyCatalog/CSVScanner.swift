import Foundation

/// A fast CSV reader for SkyPilot catalog files (RFC 4180 quoting: a quoted field may contain
/// commas and doubled quotes). It walks the raw bytes once and hands each record to the caller
/// as byte ranges, so callers only build the strings and numbers they need.
struct CSVScanner {
    let bytes: [UInt8]

    init(data: Data) {
        self.bytes = [UInt8](data)
    }

    /// The fields of one record: byte ranges into the file (quotes removed).
    struct Record {
        let base: UnsafePointer<UInt8>
        let starts: UnsafeMutablePointer<Int>
        let ends: UnsafeMutablePointer<Int>
        /// Fields that contained a doubled quote (`""`).
        let escaped: UnsafeMutablePointer<Bool>
        let count: Int

        func isEmpty(_ field: Int) -> Bool {
            field >= count || starts[field] == ends[field]
        }

        func bytes(_ field: Int) -> UnsafeBufferPointer<UInt8> {
            guard field < count else { return UnsafeBufferPointer(start: base, count: 0) }
            return UnsafeBufferPointer(
                start: base + starts[field], count: ends[field] - starts[field])
        }

        func string(_ field: Int) -> String {
            guard !isEmpty(field) else { return "" }
            let text = String(decoding: bytes(field), as: UTF8.self)
            return escaped[field] ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
        }

        func double(_ field: Int) -> Double? {
            guard !isEmpty(field) else { return nil }
            return CSVScanner.parseDouble(bytes(field))
        }
    }

    static let maxFields = 64

    /// Calls `body` for every non-empty record, in file order (the header included).
    func forEachRecord(_ body: (Record) throws -> Void) rethrows {
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: Self.maxFields)
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: Self.maxFields)
        let escaped = UnsafeMutablePointer<Bool>.allocate(capacity: Self.maxFields)
        defer {
            starts.deallocate()
            ends.deallocate()
            escaped.deallocate()
        }
        try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            let quote = UInt8(ascii: "\"")
            let comma = UInt8(ascii: ",")
            let newline = UInt8(ascii: "\n")
            let cr = UInt8(ascii: "\r")
            var i = 0
            while i < count {
                var fields = 0
                var endOfRecord = false
                while !endOfRecord {
                    var start = i
                    var end: Int
                    var hasEscape = false
                    if i < count && base[i] == quote {
                        i += 1
                        start = i
                        while i < count {
                            if base[i] == quote {
                                if i + 1 < count && base[i + 1] == quote {
                                    hasEscape = true
                                    i += 2
                                    continue
                                }
                                break
                            }
                            i += 1
                        }
                        end = i
                        i += 1
                        while i < count && base[i] != comma && base[i] != newline { i += 1 }
                    } else {
                        while i < count && base[i] != comma && base[i] != newline { i += 1 }
                        end = i
                        if end > start && base[end - 1] == cr { end -= 1 }
                    }
                    if fields < Self.maxFields {
                        starts[fields] = start
                        ends[fields] = end
                        escaped[fields] = hasEscape
                        fields += 1
                    }
                    endOfRecord = i >= count || base[i] == newline
                    i += 1
                }
                if fields == 1 && starts[0] == ends[0] { continue }
                try body(
                    Record(base: base, starts: starts, ends: ends, escaped: escaped, count: fields))
            }
        }
    }

    /// Parses a plain decimal number (`12`, `0.94803`, `-2.5`) exactly like `Double(String)`;
    /// anything unusual (exponents, `nan`) goes through `Double(String)`.
    static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let count = bytes.count
        var negative = false
        if index < count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+"))
        {
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
                digits += 1
                if digits > 15 { return Double(String(decoding: bytes, as: UTF8.self)) }
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                if sawDot { fractionDigits += 1 }
            } else if byte == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else {
                return Double(String(decoding: bytes, as: UTF8.self))
            }
            index += 1
        }
        if digits == 0 { return nil }
        if fractionDigits > 22 { return Double(String(decoding: bytes, as: UTF8.self)) }
        var value = Double(mantissa)
        if fractionDigits > 0 { value /= powersOfTen[fractionDigits] }
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }
}

/// Gives repeated byte sequences one id (and one `String`) without allocating for repeats.
struct ByteInterner {
    private(set) var strings: [String] = []
    private var bytes: [UInt8] = []
    private var spans: [(start: Int, count: Int)] = []
    private var table: [UInt64: Int32] = [:]
    private var overflow: [String: Int32] = [:]

    mutating func id(_ field: UnsafeBufferPointer<UInt8>) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in field { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        if let found = table[hash] {
            let span = spans[Int(found)]
            let same =
                span.count == field.count
                && bytes.withUnsafeBufferPointer { all in
                    guard let base = all.baseAddress, let other = field.baseAddress else {
                        return false
                    }
                    return memcmp(base + span.start, other, span.count) == 0
                }
            if same {
                return found
            }
            return id(of: String(decoding: field, as: UTF8.self))
        }
        let new = Int32(strings.count)
        table[hash] = new
        spans.append((bytes.count, field.count))
        bytes.append(contentsOf: field)
        strings.append(String(decoding: field, as: UTF8.self))
        return new
    }

    /// Ids for strings that could not go through the byte table (hash collision, escapes).
    mutating func id(of string: String) -> Int32 {
        if let found = overflow[string] { return found }
        let new = Int32(strings.count)
        overflow[string] = new
        spans.append((0, -1))
        strings.append(string)
        return new
    }
}
