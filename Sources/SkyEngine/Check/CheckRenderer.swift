import SkyCore

/// `sky check` output: SkyPilot's text layout, or `-o json` (reference 3.5).
package enum CheckRenderer {
    package static func text(_ outcomes: [CheckOutcome], verbose: Bool) -> String {
        var lines = ["Checking credentials to enable infra for SkyPilot."]
        for outcome in outcomes {
            if outcome.isEnabled {
                lines.append("  \(outcome.displayName): enabled [\(outcome.capabilities.joined(separator: ", "))]")
                if verbose, let reason = outcome.reason { lines.append("    \(reason)") }
            } else {
                lines.append("  \(outcome.displayName): disabled")
                if let reason = outcome.reason { lines.append("    Reason [compute]: \(reason)") }
            }
            if let title = outcome.treeTitle, !outcome.tree.isEmpty {
                lines.append("    \(title)")
                for (index, item) in outcome.tree.enumerated() {
                    lines.append("    " + (index == outcome.tree.count - 1 ? "└── " : "├── ") + item)
                }
            }
            if !outcome.isEnabled, let hint = outcome.hint { lines.append("    Hint [compute]: \(hint)") }
        }
        let enabled = outcomes.filter(\.isEnabled)
        lines.append("")
        if enabled.isEmpty {
            lines.append("No infra is enabled. To enable one, follow the hints above and rerun: sky check")
        } else {
            lines.append("🎉 Enabled infra 🎉")
            for outcome in enabled {
                lines.append("  \(outcome.displayName) [\(outcome.capabilities.joined(separator: ", "))]")
            }
            lines.append("")
            lines.append("To enable a cloud, follow the hints above and rerun: sky check")
        }
        return lines.joined(separator: "\n")
    }

    /// `{workspace: {display name: [enabled capabilities]}}`, enabled backends only.
    package static func json(_ outcomes: [CheckOutcome], workspace: String) -> String {
        let clouds = outcomes.filter(\.isEnabled).map {
            ($0.displayName, JSONValue.array($0.capabilities.map(JSONValue.string)))
        }
        return JSONValue.object([(workspace, .object(clouds))]).encoded(sortedKeys: false, pretty: true)
    }
}
