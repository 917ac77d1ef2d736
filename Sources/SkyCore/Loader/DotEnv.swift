import Foundation

/// A dotenv file as `python-dotenv`'s `dotenv_values` reads it: `KEY=VALUE` lines, optional
/// `export `, `#` comments, single quotes (literal), double quotes (escapes), `${VAR}` expansion
/// in unquoted and double-quoted values, and a bare `KEY` meaning "no value" (nil).
enum DotEnv {
    static func parse(_ text: String, environment: [String: String]) -> [(String, String?)] {
        var result: [(String, String?)] = []
        var lookup: [String: String] = [:]
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        var i = 0
        while i < lines.count {
            var line = String(lines[i]).trimmingCharacters(in: .whitespaces)
            i += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") {
                line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            }
            guard let eq = line.firstIndex(of: "=") else {
                let key = line.trimmingCharacters(in: .whitespaces)
                if !key.isEmpty, !key.contains(" ") { result.append((key, nil)) }
                continue
            }
            let key = String(line[..<eq]).trimmingCharacters(in: .whitespaces)
            var raw = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            var value: String
            if let quote = raw.first, quote == "'" || quote == "\"" {
                // A quoted value may span lines.
                while !closesQuote(raw, quote), i < lines.count {
                    raw += "\n" + lines[i]
                    i += 1
                }
                let body = String(raw.dropFirst().prefix { _ in true })
                var inner = ""
                var escaped = false
                for ch in body {
                    if escaped {
                        if quote == "\"" {
                            switch ch {
                            case "n": inner.append("\n")
                            case "t": inner.append("\t")
                            case "r": inner.append("\r")
                            default: inner.append(ch)
                            }
                        } else {
                            if ch != "'" && ch != "\\" { inner.append("\\") }
                            inner.append(ch)
                        }
                        escaped = false
                    } else if ch == "\\" {
                        escaped = true
                    } else if ch == quote {
                        break
                    } else {
                        inner.append(ch)
                    }
                }
                value = quote == "\"" ? expand(inner, lookup, environment) : inner
            } else {
                if let hash = raw.range(of: " #") { raw = String(raw[..<hash.lowerBound]) }
                value = expand(raw.trimmingCharacters(in: .whitespaces), lookup, environment)
            }
            guard !key.isEmpty else { continue }
            lookup[key] = value
            if let j = result.firstIndex(where: { $0.0 == key }) {
                result[j].1 = value
            } else {
                result.append((key, value))
            }
        }
        return result
    }

    private static func closesQuote(_ raw: String, _ quote: Character) -> Bool {
        var escaped = false
        for ch in raw.dropFirst() {
            if escaped {
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == quote {
                return true
            }
        }
        return false
    }

    /// `${VAR}` and `${VAR:-default}` from the process environment, then earlier keys.
    private static func expand(
        _ value: String, _ lookup: [String: String], _ environment: [String: String]
    ) -> String {
        guard value.contains("${") else { return value }
        var out = ""
        var rest = Substring(value)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                out += rest[start.lowerBound...]
                return out
            }
            let expr = String(rest[start.upperBound..<end])
            let parts = expr.components(separatedBy: ":-")
            let name = parts[0]
            if let v = environment[name] ?? lookup[name] {
                out += v
            } else if parts.count > 1 {
                out += parts[1...].joined(separator: ":-")
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }
}
