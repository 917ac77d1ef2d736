import Foundation

/// `[section]` / `key = value` files (`~/.aws/credentials`, TOML configs), values unquoted.
enum INISections {
    static func parse(_ text: String) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        var section = ""
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if section.hasPrefix("profile ") { section = String(section.dropFirst(8)) }
                out[section, default: [:]] = out[section] ?? [:]
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            out[section, default: [:]][key] = value.trimmingCharacters(
                in: CharacterSet(charactersIn: "\"'"))
        }
        return out
    }

    /// The 1-based number of the first line that is neither a comment, a `[section]` nor
    /// `key = value` (the line itself is never echoed: it may hold a secret).
    static func firstMalformedLine(_ text: String) -> Int? {
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") { continue }
            if line.contains("=") { continue }
            if raw.first == " " || raw.first == "\t" { continue }  // continuation of a nested value
            return index + 1
        }
        return nil
    }
}

/// Small line readers for credential files.
enum KeyValueLines {
    /// `key = value` or `key: value` anywhere in `text`.
    static func value(of key: String, in text: String) -> String? {
        for section in INISections.parse(text).values {
            if let value = section[key] { return value }
        }
        return nil
    }

    /// Context names of a kubeconfig (`contexts:` list entries' `name:`), without a YAML parse.
    static func kubeContexts(_ text: String) -> [String] {
        var names: [String] = []
        var inContexts = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = String(raw)
            if !line.hasPrefix(" "), !line.hasPrefix("-") {
                inContexts = line.hasPrefix("contexts:")
                continue
            }
            guard inContexts else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let isItem = line.hasPrefix("- ") || line.hasPrefix("  - ") || !line.hasPrefix("    ")
            if trimmed.hasPrefix("- name:") || (trimmed.hasPrefix("name:") && isItem) {
                let value = trimmed.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
                names.append(value.trimmingCharacters(in: CharacterSet(charactersIn: " \"'")))
            }
        }
        return names
    }
}
