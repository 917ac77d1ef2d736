import Foundation

/// A node's generic resources as Slurm prints them: `gpu:fake:2,gpu:a100:1(S:0)` (types may
/// be absent: `gpu:2`); `gres_used` adds `(IDX:0-1)`. Only counts are kept, per name and type.
package struct SlurmGres: Sendable, Hashable, Codable {
    package struct Entry: Sendable, Hashable, Codable {
        package var name: String
        /// nil when the gres has no type (`gpu:2`).
        package var type: String?
        package var count: Int
    }

    package var entries: [Entry]

    package init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// Parses Slurm's string; unknown pieces are skipped. `(null)` and empty give no entries.
    package init(parsing text: String?) {
        entries = []
        guard let text, !text.isEmpty, text != "(null)" else { return }
        for item in Self.splitTopLevel(text) {
            let base = item.split(separator: "(", maxSplits: 1).first.map(String.init) ?? item
            let parts = base.split(separator: ":").map(String.init)
            guard let name = parts.first, !name.isEmpty else { continue }
            switch parts.count {
            case 1:
                entries.append(Entry(name: name, type: nil, count: 1))
            case 2:
                if let count = Self.count(parts[1]) {
                    entries.append(Entry(name: name, type: nil, count: count))
                } else {
                    entries.append(Entry(name: name, type: parts[1], count: 1))
                }
            default:
                entries.append(Entry(name: name, type: parts[1], count: Self.count(parts[2]) ?? 0))
            }
        }
    }

    /// Count of `name` (any type, or only `type`).
    package func count(_ name: String, type: String? = nil) -> Int {
        entries.filter { $0.name == name && (type == nil || $0.type == type) }
            .reduce(0) { $0 + $1.count }
    }

    /// GPU counts per type (`nil` key = untyped).
    package var gpus: [String?: Int] {
        var out: [String?: Int] = [:]
        for entry in entries where entry.name == "gpu" {
            out[entry.type, default: 0] += entry.count
        }
        return out
    }

    /// `2`, `2K` (x1024), `1M`...; nil when not a count.
    private static func count(_ text: String) -> Int? {
        guard let last = text.last else { return nil }
        let multipliers: [Character: Int] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024]
        if let factor = multipliers[last], let value = Int(text.dropLast()) {
            return value * factor
        }
        return Int(text)
    }

    /// Splits on commas outside parentheses (`gpu:a:1(S:0-1),gpu:b:2`).
    private static func splitTopLevel(_ text: String) -> [String] {
        var out: [String] = []
        var depth = 0
        var current = ""
        for ch in text {
            switch ch {
            case "(":
                depth += 1
                current.append(ch)
            case ")":
                depth = max(0, depth - 1)
                current.append(ch)
            case "," where depth == 0:
                out.append(current)
                current = ""
            default: current.append(ch)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
