import Foundation

/// `kubernetes.allowed_contexts` of `~/.sky/config.yaml`, read with a small line reader (the
/// block or flow list under the top-level `kubernetes:` mapping), only when the Kubernetes
/// backend first needs its contexts.
enum KubernetesConfigSection {
    static func allowedContexts(path: String) -> [String]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return allowedContexts(in: text)
    }

    static func allowedContexts(in text: String) -> [String]? {
        var inSection = false
        var keyIndent: Int?
        var items: [String]?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let indent = line.prefix { $0 == " " }.count
            if indent == 0 {
                if items != nil { return items }
                inSection = trimmed == "kubernetes:"
                continue
            }
            guard inSection else { continue }
            if let keyIndent, items != nil {
                if indent > keyIndent || (indent == keyIndent && trimmed.hasPrefix("- ")),
                    trimmed.hasPrefix("- ")
                {
                    items?.append(unquote(String(trimmed.dropFirst(2))))
                    continue
                }
                return items
            }
            guard trimmed.hasPrefix("allowed_contexts:") else { continue }
            let value = trimmed.dropFirst("allowed_contexts:".count).trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("[") {
                return value.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                    .split(separator: ",").map { unquote(String($0)) }.filter { !$0.isEmpty }
            }
            if !value.isEmpty { return [unquote(value)] }
            keyIndent = indent
            items = []
        }
        return items
    }

    private static func unquote(_ text: String) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
    }
}
