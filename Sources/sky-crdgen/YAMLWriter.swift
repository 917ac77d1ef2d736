import SkyCore

/// Block-style YAML for a `JSONValue` tree, keys in insertion order. Strings that YAML could
/// read as anything else (numbers, booleans, null, flow syntax) are double-quoted, so the
/// output reads back as the same JSON tree in YAML 1.1 and 1.2 parsers alike.
enum YAMLWriter {
    static func document(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let pairs) where !pairs.isEmpty:
            for (key, child) in pairs {
                out += pad + scalar(.string(key))
                writeChild(child, indent: indent, into: &out)
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                out += pad + "-"
                switch item {
                case .object(let pairs) where !pairs.isEmpty:
                    // First pair on the dash's line, the rest aligned under it.
                    var first = true
                    for (key, child) in pairs {
                        out += (first ? " " : pad + "  ") + scalar(.string(key))
                        writeChild(child, indent: indent + 2, into: &out)
                        first = false
                    }
                case .array(let nested) where !nested.isEmpty:
                    out += "\n"
                    write(item, indent: indent + 2, into: &out)
                default:
                    out += " " + scalar(item) + "\n"
                }
            }
        default:
            out += pad + scalar(value) + "\n"
        }
    }

    /// After `key`: a scalar on the same line, or a nested block on the next lines.
    private static func writeChild(_ child: JSONValue, indent: Int, into out: inout String) {
        switch child {
        case .object(let pairs) where !pairs.isEmpty:
            out += ":\n"
            write(child, indent: indent + 2, into: &out)
        case .array(let items) where !items.isEmpty:
            out += ":\n"
            write(child, indent: indent, into: &out)
        default:
            out += ": " + scalar(child) + "\n"
        }
    }

    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .array: return "[]"
        case .object: return "{}"
        case .string(let s): return isPlain(s) ? s : quoted(s)
        }
    }

    private static let reserved: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]

    /// Letters first, then letters, digits and `_ . / -`; never a YAML 1.1 boolean or null.
    private static func isPlain(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII
        else {
            return false
        }
        guard !reserved.contains(s.lowercased()) else { return false }
        return s.unicodeScalars.allSatisfy { c in
            c.isASCII
                && (c.properties.isAlphabetic || ("0"..."9").contains(c)
                    || "_./-".unicodeScalars.contains(c))
        }
    }

    /// A YAML double-quoted scalar (JSON escapes are a subset of YAML's).
    private static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 || c.value == 0x7f {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
