import Foundation

/// Reads one top-level list (`key: [a, b]` or a block list of `- a` lines) from a YAML text
/// without a full YAML parse; enough for `allowed_clouds` in `~/.sky/config.yaml` on the
/// planning path, where loading a YAML parser would cost more than the plan.
package enum ConfigList {
    /// The list under `key`, nil when the key is absent.
    package static func topLevel(named key: String, in text: String) -> [String]? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() where line.hasPrefix(key + ":") {
            let value = uncomment(String(line.dropFirst(key.count + 1)))
            if value.hasPrefix("[") {
                return value.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                    .split(separator: ",").map { unquote(String($0)) }.filter { !$0.isEmpty }
            }
            guard value.isEmpty else { return [unquote(value)] }
            var items: [String] = []
            for next in lines[(index + 1)...] {
                let trimmed = next.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                guard trimmed.hasPrefix("- "), next.first == " " || next.first == "-" else { break }
                items.append(unquote(String(trimmed.dropFirst(2))))
            }
            return items
        }
        return nil
    }

    private static func uncomment(_ text: String) -> String {
        (text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "")
            .trimmingCharacters(in: .whitespaces)
    }

    private static func unquote(_ text: String) -> String {
        uncomment(text).trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
    }
}
