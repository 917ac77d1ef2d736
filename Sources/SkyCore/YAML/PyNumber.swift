import Foundation

/// Python's number parsing and formatting rules (`float()`, `int()`, `repr()`), which SkyPilot's
/// field parsing relies on.
enum PyNumber {
    /// Python `float(s)` for a `str` argument; nil where Python raises `ValueError`.
    static func parseFloat(_ text: String) -> Double? {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !s.isEmpty else { return nil }
        var body = Substring(s)
        var sign = 1.0
        if body.first == "+" || body.first == "-" {
            if body.first == "-" { sign = -1 }
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        // digits[_digits] [. [digits]] [e[+-]digits] or . digits ...
        var chars = Array(body)
        var i = 0
        func digitRun() -> Bool {
            let start = i
            while i < chars.count {
                if chars[i].isASCII, chars[i].isNumber {
                    i += 1
                } else if chars[i] == "_", i > start, i + 1 < chars.count, chars[i - 1].isNumber,
                    chars[i + 1].isASCII, chars[i + 1].isNumber
                {
                    i += 1
                } else {
                    break
                }
            }
            return i > start
        }
        let hasInt = digitRun()
        var hasFrac = false
        if i < chars.count, chars[i] == "." {
            i += 1
            hasFrac = digitRun()
        }
        guard hasInt || hasFrac else { return nil }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            i += 1
            if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
            guard digitRun() else { return nil }
        }
        guard i == chars.count else { return nil }
        chars.removeAll { $0 == "_" }
        guard let value = Double(String(chars)) else { return nil }
        return sign * value
    }

    /// Python `int(s)` (base 10) for a `str` argument; nil where Python raises `ValueError`
    /// (and, here, on overflow).
    static func parseInt(_ text: String) -> Int? {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var body = Substring(s)
        var negative = false
        if body.first == "+" || body.first == "-" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let chars = Array(body)
        guard let first = chars.first, first.isASCII, first.isNumber,
            let last = chars.last, last.isASCII, last.isNumber
        else { return nil }
        var digits = ""
        for (i, c) in chars.enumerated() {
            if c.isASCII, c.isNumber {
                digits.append(c)
            } else if c == "_", chars[i - 1] != "_" {
                continue
            } else {
                return nil
            }
        }
        guard let value = Int(digits) else { return nil }
        return negative ? -value : value
    }

    /// Python `repr(float)`: shortest round-trip digits, exponent form when the decimal exponent
    /// is < -4 or >= 16.
    static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description is shortest round-trip too; split it into digits and exponent.
        let desc = "\(abs(value))"
        var mantissa = desc
        var exponent = 0
        if let eIndex = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(desc[..<eIndex])
            exponent = Int(desc[desc.index(after: eIndex)...]) ?? 0
        }
        var intPart = mantissa
        var fracPart = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = String(mantissa[..<dot])
            fracPart = String(mantissa[mantissa.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var pointPos = intPart.count + exponent  // digits before the decimal point
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            pointPos -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        let decimalExponent = pointPos - 1
        let sign = value < 0 ? "-" : ""
        if decimalExponent < -4 || decimalExponent >= 16 {
            var m = String(digits.first!)
            if digits.count > 1 { m += "." + digits.dropFirst() }
            let e = abs(decimalExponent)
            let eText = e < 10 ? "0\(e)" : "\(e)"
            return sign + m + "e" + (decimalExponent < 0 ? "-" : "+") + eText
        }
        if pointPos <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPos) + digits
        }
        if pointPos >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPos - digits.count) + ".0"
        }
        let idx = digits.index(digits.startIndex, offsetBy: pointPos)
        return sign + digits[..<idx] + "." + digits[idx...]
    }

    /// Python `repr(str)`.
    static func reprString(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    /// `f'{x}'` of a Python number that is an int when integral and `asInt`, else a float.
    static func formatCount(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e18 { return String(Int(value)) }
        return repr(value)
    }
}
