import Foundation

/// PyYAML's YAML 1.1 implicit resolvers and `SafeConstructor` scalar constructors.
enum YAML11Scalar {
    enum Resolved: Equatable {
        case null, bool, int, float, timestamp, merge, value, str
    }

    /// Implicit tag of a plain scalar (PyYAML `Resolver.resolve`, first matching resolver).
    static func resolve(_ s: String) -> Resolved {
        guard let first = s.unicodeScalars.first else { return .null }
        switch first {
        case "y", "Y", "n", "N", "t", "T", "f", "F", "o", "O":
            if isBool(s) { return .bool }
            if first == "n" || first == "N", isNull(s) { return .null }
            return .str
        case "-", "+", "0"..."9", ".":
            if isFloat(s) { return .float }
            if first != ".", isInt(s) { return .int }
            if first.properties.numericType != nil, isTimestamp(s) { return .timestamp }
            return .str
        case "<": return s == "<<" ? .merge : .str
        case "~": return s == "~" ? .null : .str
        case "=": return s == "=" ? .value : .str
        default: return .str
        }
    }

    static func isBool(_ s: String) -> Bool {
        [
            "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
            "FALSE",
            "on", "On", "ON", "off", "Off", "OFF",
        ].contains(s)
    }

    static func isNull(_ s: String) -> Bool {
        ["~", "null", "Null", "NULL", ""].contains(s)
    }

    private static func isDigit(_ c: Character) -> Bool { c >= "0" && c <= "9" }

    /// `[0-9][0-9_]*` from index i; returns end index or nil when no leading digit.
    private static func digitsUnderscore(_ c: [Character], _ i: Int) -> Int? {
        guard i < c.count, isDigit(c[i]) else { return nil }
        var j = i + 1
        while j < c.count, isDigit(c[j]) || c[j] == "_" { j += 1 }
        return j
    }

    private static func skipSign(_ c: [Character]) -> Int {
        (c.first == "-" || c.first == "+") ? 1 : 0
    }

    /// `[eE][-+][0-9]+` at i (optional); returns end index, or nil when malformed.
    private static func exponent(_ c: [Character], _ i: Int) -> Int? {
        guard i < c.count, c[i] == "e" || c[i] == "E" else { return i }
        guard i + 1 < c.count, c[i + 1] == "-" || c[i + 1] == "+" else { return nil }
        var j = i + 2
        guard j < c.count, isDigit(c[j]) else { return nil }
        while j < c.count, isDigit(c[j]) { j += 1 }
        return j
    }

    /// `(?::[0-5]?[0-9])+` at i; returns end index or nil.
    private static func sexagesimalTail(_ c: [Character], _ i: Int) -> Int? {
        var j = i
        var groups = 0
        while j < c.count, c[j] == ":" {
            var k = j + 1
            guard k < c.count, isDigit(c[k]) else { return nil }
            if k + 1 < c.count, isDigit(c[k + 1]) {
                guard c[k] <= "5" else { return nil }
                k += 2
            } else {
                k += 1
            }
            j = k
            groups += 1
        }
        return groups > 0 ? j : nil
    }

    static func isFloat(_ s: String) -> Bool {
        let c = Array(s)
        // [-+]?\.(inf|Inf|INF) and \.(nan|NaN|NAN)
        let signLen = skipSign(c)
        let rest = String(c[signLen...])
        if [".inf", ".Inf", ".INF"].contains(rest) { return true }
        if signLen == 0, [".nan", ".NaN", ".NAN"].contains(s) { return true }
        // \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?   (no sign)
        if signLen == 0, c.first == "." {
            guard let end = digitsUnderscore(c, 1), let e = exponent(c, end) else { return false }
            return e == c.count
        }
        // [-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?
        if let end = digitsUnderscore(c, signLen) {
            if end < c.count, c[end] == "." {
                var j = end + 1
                while j < c.count, isDigit(c[j]) || c[j] == "_" { j += 1 }
                if let e = exponent(c, j), e == c.count { return true }
            }
            // [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
            if let tail = sexagesimalTail(c, end), tail < c.count, c[tail] == "." {
                var j = tail + 1
                while j < c.count, isDigit(c[j]) || c[j] == "_" { j += 1 }
                return j == c.count
            }
        }
        return false
    }

    static func isInt(_ s: String) -> Bool {
        let c = Array(s)
        let i = skipSign(c)
        guard i < c.count else { return false }
        let body = Array(c[i...])
        if body.count > 2, body[0] == "0", body[1] == "b" {
            return body[2...].allSatisfy { $0 == "0" || $0 == "1" || $0 == "_" }
        }
        if body.count > 2, body[0] == "0", body[1] == "x" {
            return body[2...].allSatisfy { $0.isHexDigit || $0 == "_" }
        }
        if body.count > 1, body[0] == "0" {
            return body[1...].allSatisfy { ($0 >= "0" && $0 <= "7") || $0 == "_" }
        }
        if body == ["0"] { return true }
        guard body[0] >= "1", body[0] <= "9" else { return false }
        guard let end = digitsUnderscore(body, 0) else { return false }
        if end == body.count { return true }
        return sexagesimalTail(body, end) == body.count
    }

    static func isTimestamp(_ s: String) -> Bool { timestampParts(s) != nil }

    /// Parses the PyYAML timestamp grammar; returns Python's `str()` of the date/datetime.
    static func timestampParts(_ s: String) -> String? {
        let c = Array(s)
        func num(_ start: Int, min: Int, max: Int) -> (Int, Int)? {
            var j = start
            while j < c.count, j - start < max, isDigit(c[j]) { j += 1 }
            guard j - start >= min, let v = Int(String(c[start..<j])) else { return nil }
            return (v, j)
        }
        guard let (year, a) = num(0, min: 4, max: 4), a < c.count, c[a] == "-",
            let (month, b) = num(a + 1, min: 1, max: 2), b < c.count, c[b] == "-",
            let (day, d) = num(b + 1, min: 1, max: 2)
        else { return nil }
        let date = String(format: "%04d-%02d-%02d", year, month, day)
        if d == c.count {
            // The date-only form needs two-digit month and day.
            return (b - a == 3 && d - b == 3) ? date : nil
        }
        var i = d
        if c[i] == "T" || c[i] == "t" {
            i += 1
        } else {
            guard c[i] == " " || c[i] == "\t" else { return nil }
            while i < c.count, c[i] == " " || c[i] == "\t" { i += 1 }
        }
        guard let (hour, h) = num(i, min: 1, max: 2), h < c.count, c[h] == ":",
            let (minute, m) = num(h + 1, min: 2, max: 2), m < c.count, c[m] == ":",
            let (second, sEnd) = num(m + 1, min: 2, max: 2)
        else { return nil }
        i = sEnd
        var fraction = ""
        if i < c.count, c[i] == "." {
            i += 1
            while i < c.count, isDigit(c[i]) {
                fraction.append(c[i])
                i += 1
            }
        }
        var tz = ""
        var j = i
        while j < c.count, c[j] == " " || c[j] == "\t" { j += 1 }
        if j < c.count {
            if c[j] == "Z" {
                tz = "+00:00"
                j += 1
            } else if c[j] == "+" || c[j] == "-" {
                let sign = c[j]
                guard let (th, k) = num(j + 1, min: 1, max: 2) else { return nil }
                var tm = 0
                j = k
                if j < c.count, c[j] == ":" {
                    guard let (v, k2) = num(j + 1, min: 2, max: 2) else { return nil }
                    tm = v
                    j = k2
                }
                tz = String(format: "%@%02d:%02d", String(sign), th, tm)
            } else {
                return nil
            }
            guard j == c.count else { return nil }
        }
        var text = date + String(format: " %02d:%02d:%02d", hour, minute, second)
        if !fraction.isEmpty {
            let micro = String((fraction + "000000").prefix(6))
            if micro != "000000" { text += "." + micro }
        }
        return text + tz
    }

    /// `construct_yaml_int`.
    static func constructInt(_ raw: String) -> PyValue? {
        var value = raw.replacingOccurrences(of: "_", with: "")
        guard !value.isEmpty else { return nil }
        var sign = 1
        if value.first == "-" { sign = -1 }
        if value.first == "-" || value.first == "+" { value.removeFirst() }
        guard !value.isEmpty else { return nil }
        var result: Int?
        if value == "0" {
            result = 0
        } else if value.hasPrefix("0b") {
            result = Int(value.dropFirst(2), radix: 2)
        } else if value.hasPrefix("0x") {
            result = Int(value.dropFirst(2), radix: 16)
        } else if value.first == "0" {
            result = Int(value, radix: 8)
        } else if value.contains(":") {
            var total = 0
            var base = 1
            for part in value.split(separator: ":", omittingEmptySubsequences: false).reversed() {
                guard let digit = Int(part) else { return nil }
                total += digit * base
                base *= 60
            }
            result = total
        } else {
            result = Int(value)
        }
        guard let r = result else {
            if let d = Double(value) { return .float(Double(sign) * d) }
            return nil
        }
        return .int(sign * r)
    }

    /// `construct_yaml_float`.
    static func constructFloat(_ raw: String) -> PyValue? {
        var value = raw.replacingOccurrences(of: "_", with: "").lowercased()
        guard !value.isEmpty else { return nil }
        var sign = 1.0
        if value.first == "-" { sign = -1 }
        if value.first == "-" || value.first == "+" { value.removeFirst() }
        if value == ".inf" { return .float(sign * .infinity) }
        if value == ".nan" { return .float(.nan) }
        if value.contains(":") {
            var total = 0.0
            var base = 1.0
            for part in value.split(separator: ":", omittingEmptySubsequences: false).reversed() {
                guard let digit = PyNumber.parseFloat(String(part)) else { return nil }
                total += digit * base
                base *= 60
            }
            return .float(sign * total)
        }
        guard let d = PyNumber.parseFloat(value) else { return nil }
        return .float(sign * d)
    }

    /// `construct_yaml_bool` (explicit `!!bool` accepts the same words, case-insensitively).
    static func constructBool(_ raw: String) -> PyValue? {
        switch raw.lowercased() {
        case "yes", "true", "on": return .bool(true)
        case "no", "false", "off": return .bool(false)
        default: return nil
        }
    }
}
