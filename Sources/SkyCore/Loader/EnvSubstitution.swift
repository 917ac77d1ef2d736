import Foundation

/// `_fill_in_env_vars`: SkyPilot serialises a field to JSON, replaces `$NAME` / `${NAME}` for known
/// names in the text, and parses it back (so keys become strings and a value with `"` breaks).
enum EnvSubstitution {
    struct Failure: Error {
        var message: String
    }

    static func fill(_ value: PyValue, _ vars: [String: String]) throws(Failure) -> PyValue {
        guard let text = jsonText(value) else {
            throw Failure(message: "contains a value that is not JSON serializable")
        }
        let replaced = substitute(text, vars)
        if replaced == text {
            return roundTrip(value)
        }
        guard let parsed = parseJSON(replaced) else {
            throw Failure(
                message:
                    "a substituted variable made the value invalid (values used in ${VAR} may not contain quotes, backslashes or control characters)"
            )
        }
        return PyValue(json: parsed)
    }

    /// What `json.loads(json.dumps(value))` gives for a serialisable value: keys become strings.
    static func roundTrip(_ value: PyValue) -> PyValue {
        switch value {
        case .list(let items): return .list(items.map(roundTrip))
        case .dict(let pairs):
            return .dict(pairs.map { (.str(PyValue.jsonKey($0.0)), roundTrip($0.1)) })
        default: return value
        }
    }

    /// Replaces `$NAME`, `${NAME}`, `${NAME` and `$NAME}` for names in `vars`.
    static func substitute(_ text: String, _ vars: [String: String]) -> String {
        guard text.contains("$"), !vars.isEmpty else { return text }
        let chars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func isStart(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
        }
        func isPart(_ c: Unicode.Scalar) -> Bool { isStart(c) || (c >= "0" && c <= "9") }
        while i < chars.count {
            guard chars[i] == "$" else {
                out.append(chars[i])
                i += 1
                continue
            }
            var j = i + 1
            if j < chars.count, chars[j] == "{" { j += 1 }
            guard j < chars.count, isStart(chars[j]) else {
                out.append(chars[i])
                i += 1
                continue
            }
            var k = j
            while k < chars.count, isPart(chars[k]) { k += 1 }
            let name = String(String.UnicodeScalarView(chars[j..<k]))
            var end = k
            if end < chars.count, chars[end] == "}" { end += 1 }
            if let value = vars[name] {
                out.append(contentsOf: value.unicodeScalars)
            } else {
                out.append(contentsOf: chars[i..<end])
            }
            i = end
        }
        return String(out)
    }

    /// `json.dumps` (ASCII-only, like Python's default), nil for non-serialisable values.
    static func jsonText(_ value: PyValue) -> String? {
        switch value {
        case .none: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d):
            guard d.isFinite else { return nil }
            return PyNumber.repr(d)
        case .str(let s): return quote(s)
        case .timestamp, .bytes, .set: return nil
        case .list(let items):
            var parts: [String] = []
            for item in items {
                guard let t = jsonText(item) else { return nil }
                parts.append(t)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .dict(let pairs):
            var parts: [String] = []
            for (k, v) in pairs {
                switch k {
                case .str, .int, .float, .bool, .none: break
                default: return nil
                }
                guard let t = jsonText(v) else { return nil }
                parts.append(quote(PyValue.jsonKey(k)) + ": " + t)
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7e {
                    if scalar.value > 0xFFFF {
                        let v = scalar.value - 0x10000
                        out += String(
                            format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                    } else {
                        out += String(format: "\\u%04x", scalar.value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Strict JSON parse (raw control characters inside strings are errors, as in Python).
    private static func parseJSON(_ text: String) -> JSONValue? {
        if text.unicodeScalars.contains(where: {
            $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" && $0 != " "
        }) {
            return nil
        }
        if hasRawControlInString(text) { return nil }
        return try? JSONValue.parse(Data(text.utf8))
    }

    private static func hasRawControlInString(_ text: String) -> Bool {
        var inString = false
        var escaped = false
        for scalar in text.unicodeScalars {
            if inString {
                if escaped {
                    escaped = false
                } else if scalar == "\\" {
                    escaped = true
                } else if scalar == "\"" {
                    inString = false
                } else if scalar.value < 0x20 {
                    return true
                }
            } else if scalar == "\"" {
                inString = true
            }
        }
        return false
    }
}
