import Foundation
import SkyCore

/// `sky check` output: SkyPilot's text layout (`sky/check.py`), or `-o json` (reference 3.5).
package enum CheckRenderer {
    package static let docsLine =
        "If any problems remain, refer to detailed docs at: https://docs.skypilot.co/en/latest/getting-started/installation.html"

    /// Per backend (sorted by name): `  <Name>: enabled [compute]` with its tree, or
    /// `  <Name>: disabled` with `Hint [compute]:` / `Reason [compute]:` (a disabled tree is part
    /// of the reason); then the `Enabled infra` summary with the enabled contexts / pools.
    package static func text(_ outcomes: [CheckOutcome], verbose: Bool) -> String {
        var lines = ["Checking credentials to enable infra for SkyPilot."]
        let sorted = outcomes.sorted { $0.displayName.lowercased() < $1.displayName.lowercased() }
        for outcome in sorted {
            let caps = "[\(outcome.capabilities.joined(separator: ", "))]"
            if outcome.isEnabled {
                lines.append("  \(outcome.displayName): enabled \(caps)")
                lines += tree(outcome.treeTitle, outcome.tree, indent: "    ")
                if verbose, let reason = outcome.reason { lines.append("    \(reason)") }
            } else {
                lines.append("  \(outcome.displayName): disabled")
                if let hint = outcome.hint { lines.append("    Hint [compute]: \(hint)") }
                if let reason = outcome.reason { lines.append("    Reason [compute]: \(reason)") }
                lines += tree(outcome.treeTitle, outcome.tree, indent: "        ")
            }
        }
        lines.append("")
        lines.append("🎉 Enabled infra 🎉")
        let enabled = sorted.filter(\.isEnabled)
        if enabled.isEmpty {
            lines.append("  No infra to check/enabled.")
        }
        for outcome in enabled {
            lines.append(
                "  \(outcome.displayName) [\(outcome.capabilities.joined(separator: ", "))]")
            let usable = outcome.tree.filter { !$0.contains(": disabled") }.map(itemName)
            lines += tree(outcome.treeTitle, usable, indent: "    ")
        }
        lines.append("")
        lines.append("To enable a cloud, follow the hints above and rerun: sky check")
        lines.append(docsLine)
        return lines.joined(separator: "\n")
    }

    /// `{workspace: {display name: [enabled capabilities]}}`, enabled backends only, by name.
    package static func json(_ outcomes: [CheckOutcome], workspace: String) -> String {
        let clouds = outcomes.filter(\.isEnabled)
            .sorted { $0.displayName.lowercased() < $1.displayName.lowercased() }
            .map { ($0.displayName, JSONValue.array($0.capabilities.map(JSONValue.string))) }
        return JSONValue.object([(workspace, .object(clouds))]).encoded(
            sortedKeys: false, pretty: true)
    }

    /// `Title:` then `├── item` / `└── item`.
    static func tree(_ title: String?, _ items: [String], indent: String) -> [String] {
        guard let title, !items.isEmpty else { return [] }
        var out = [indent + title]
        for (index, item) in items.enumerated() {
            out.append(indent + (index == items.count - 1 ? "└── " : "├── ") + item)
        }
        return out
    }

    /// The context / pool / cluster name of a tree line (`name: enabled. ...`).
    static func itemName(_ line: String) -> String {
        guard let range = line.range(of: ": ") else { return line }
        return String(line[..<range.lowerBound])
    }
}
