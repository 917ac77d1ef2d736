import SkyCore

/// Renders a `JSONValue` as block-style YAML for people (`sky validate` table output).
/// Strings that YAML 1.1 would read as something else are double-quoted (JSON escaping is
/// valid YAML); multi-line strings become literal blocks.
enum YAMLText {
    static func render(_ value: JSONValue) -> String {
        var out = ""
        switch value {
        case .object(let pairs) where !pairs.isEmpty:
            writeObject(pairs, indent: 0, into: &out)
        case .array(let items) where !items.isEmpty:
            writeArray(items, indent: 0, into: &out)
        default:
            out = scalar(value, indent: 0) + "\n"
        }
        return out
    }

    private static func writeObject(
        _ pairs: [(String, JSONValue)], indent: Int, into out: inout String
    ) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in pairs {
            out += pad + quoteIfNeeded(key) + ":"
            writeValue(value, indent: indent, into: &out)
        }
    }

    private static func writeArray(_ items: [JSONValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            switch item {
            case .object(let pairs) where !pairs.isEmpty:
                // First key on the dash line, the rest aligned under it.
                var nested = ""
                writeObject(pairs, indent: indent + 2, into: &nested)
                out += pad + "- " + nested.dropFirst(indent + 2)
            case .array(let inner) where !inner.isEmpty:
                out += pad + "-\n"
                writeArray(inner, indent: indent + 2, into: &out)
            default:
                out += pad + "- " + scalar(item, indent: indent + 2) + "\n"
            }
        }
    }

    /// After `key:` — nested blocks go on the next lines, scalars on the same line.
    private static func writeValue(_ value: JSONValue, indent: Int, into out: inout String) {
        switch value {
        case .object(let pairs) where !pairs.isEmpty:
            out += "\n"
            writeObject(pairs, indent: indent + 2, into: &out)
        case .array(let items) where !items.isEmpty:
            out += "\n"
            writeArray(items, indent: indent + 2, into: &out)
        default:
            out += " " + scalar(value, indent: indent + 2) + "\n"
        }
    }

    private static func scalar(_ value: JSONValue, indent: Int) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int, .double: return value.encoded()
        case .string(let s): return string(s, indent: indent)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    private static func string(_ s: String, indent: Int) -> String {
        if s.contains("\n"), !s.hasPrefix(" "), !s.hasPrefix("\n"),
            !s.contains("\r"), !s.contains("\t")
        {
            var body = s
            var chomp = "-"
            if body.hasSuffix("\n") {
                body.removeLast()
                chomp = body.hasSuffix("\n") ? "+" : ""
            }
            let pad = String(repeating: " ", count: indent)
            let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : pad + $0 }
            return "|" + chomp + "\n" + lines.joined(separator: "\n")
        }
        return quoteIfNeeded(s)
    }

    private static let reserved: Set<String> = [
        "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    ]

    static func quoteIfNeeded(_ s: String) -> String {
        let plainStart = s.first.map { $0.isLetter || $0.isNumber || "_./$".contains($0) } ?? false
        let plainChars = s.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || " _-./:=+@$(){}<>,;*".unicodeScalars.contains(scalar)
        }
        let looksNumeric = Double(s) != nil || s.first.map { $0.isNumber } == true
        let ambiguous =
            reserved.contains(s.lowercased()) || s.hasSuffix(" ") || s.hasSuffix(":")
            || s.contains(": ") || s.contains(" #") || s.hasPrefix("{") || looksNumeric
        if plainStart && plainChars && !ambiguous { return s }
        return JSONValue.string(s).encoded()
    }
}
