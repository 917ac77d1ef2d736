import Foundation
import SkyCore

/// Renders a plan as SkyPilot's optimizer table or as the `-o json` object.
package enum PlanRenderer {
    /// SkyPilot's "Considered resources" table: one row per (cloud, accelerator, spot) group
    /// (per region too for Kubernetes/Slurm/SSH), the cheapest of each, the chosen one marked.
    package static func table(_ plan: Plan) -> String {
        var lines: [String] = []
        if let ordered = plan.orderedRequests {
            let list = ordered.map { requestText($0) }.joined(separator: ", ")
            lines.append(
                "Using user-specified accelerators list (will be tried in the listed order): \(list)"
            )
        }
        let plural = plan.numNodes > 1 ? "s" : ""
        lines.append("Considered resources (\(plan.numNodes) node\(plural)):")
        let nodes = Double(plan.numNodes)
        var groups: [String] = []
        var best: [String: LaunchCandidate] = [:]
        for candidate in plan.considered {
            let key = groupKey(candidate)
            if let current = best[key] {
                if candidate.hourlyCost < current.hourlyCost { best[key] = candidate }
            } else {
                groups.append(key)
                best[key] = candidate
            }
        }
        let chosenKey = groupKey(plan.chosen)
        if best[chosenKey] == nil { groups.append(chosenKey) }
        best[chosenKey] = plan.chosen
        var rows = groups.compactMap { best[$0] }
        if let ordered = plan.orderedRequests {
            let keys = ordered.map { request -> String in
                (request.accelerator?.description ?? "-") + (request.useSpot ? "[Spot]" : "")
            }
            func rank(_ c: LaunchCandidate) -> Int {
                keys.firstIndex(of: c.acceleratorText + (c.useSpot ? "[Spot]" : "")) ?? keys.count
            }
            rows = rows.enumerated().sorted { a, b in
                let (ra, rb) = (rank(a.element), rank(b.element))
                if ra != rb { return ra < rb }
                let (ca, cb) = (shownCost(a.element, nodes), shownCost(b.element, nodes))
                return ca != cb ? ca < cb : a.offset < b.offset
            }.map(\.element)
        } else {
            rows = rows.enumerated().sorted { a, b in
                let (ca, cb) = (shownCost(a.element, nodes), shownCost(b.element, nodes))
                return ca != cb ? ca < cb : a.offset < b.offset
            }.map(\.element)
        }
        let metric = plan.objective == .cost ? "COST ($)" : "TIME (hr)"
        let header = ["INFRA", "INSTANCE", "vCPUs", "Mem(GB)", "GPUS", metric, "CHOSEN"]
        let cells = rows.map { row -> [String] in
            [
                row.infraText, instanceText(row), number(row.cpus), number(row.memoryGB),
                row.acceleratorText,
                plan.objective == .cost ? costText(row, nodes) : "1.00",
                row == plan.chosen ? "   \u{2714}" : "",
            ]
        }
        lines.append(frameTable(header: header, rows: cells))
        return lines.joined(separator: "\n")
    }

    /// `{"chosen": {...}, "candidates": [...]}`.
    package static func json(_ plan: Plan) -> JSONValue {
        .object([
            ("chosen", candidateJSON(plan.chosen, numNodes: plan.numNodes)),
            (
                "candidates",
                .array(plan.candidates.map { candidateJSON($0, numNodes: plan.numNodes) })
            ),
        ])
    }

    package static func candidateJSON(_ c: LaunchCandidate, numNodes: Int) -> JSONValue {
        let accelerators: JSONValue =
            c.accelerator.map { acc in
                .object([
                    (
                        acc.name,
                        acc.count == acc.count.rounded() ? .int(Int(acc.count)) : .double(acc.count)
                    )
                ])
            } ?? .null
        return .object([
            ("cloud", .string(c.cloud)),
            ("region", .string(c.region)),
            ("zone", c.zone.map { .string($0) } ?? .null),
            ("instance_type", .string(c.instanceType)),
            ("accelerators", accelerators),
            ("use_spot", .bool(c.useSpot)),
            ("cpus", c.cpus.map { .double($0) } ?? .null),
            ("memory", c.memoryGB.map { .double($0) } ?? .null),
            ("num_nodes", .int(numNodes)),
            ("hourly_cost_per_node", .double(c.hourlyCost)),
            ("hourly_cost_total", .double(c.hourlyCost * Double(numNodes))),
        ])
    }

    static func groupKey(_ c: LaunchCandidate) -> String {
        var key = "\(c.cloud)|\(c.acceleratorText)|\(c.useSpot)"
        if ["kubernetes", "slurm", "ssh"].contains(c.cloud) { key += "|" + c.region }
        return key
    }

    static func instanceText(_ c: LaunchCandidate) -> String {
        if ["kubernetes", "slurm"].contains(c.cloud) { return c.useSpot ? "[Spot]" : "-" }
        return c.instanceType + (c.useSpot ? "[Spot]" : "")
    }

    static func costText(_ c: LaunchCandidate, _ nodes: Double) -> String {
        String(format: "%.2f", c.hourlyCost * nodes)
    }

    /// The cost as printed (SkyPilot sorts rows by the printed, rounded value).
    static func shownCost(_ c: LaunchCandidate, _ nodes: Double) -> Double {
        Double(costText(c, nodes)) ?? c.hourlyCost * nodes
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func requestText(_ r: Resources) -> String {
        var parts: [String] = []
        if let type = r.instanceType { parts.append(type + (r.useSpot ? "[Spot]" : "")) }
        if let acc = r.accelerator {
            let count =
                acc.count == acc.count.rounded() ? String(Int(acc.count)) : String(acc.count)
            parts.append("{'\(acc.name)': \(count)}")
        }
        let cloud = r.cloud.map { CloudTraitsNames.displayName($0) } ?? "<Cloud>"
        return "\(cloud)(\(parts.joined(separator: ", ")))"
    }

    /// prettytable with `hrules=FRAME, vrules=NONE`, left aligned, padding (0, 2).
    package static func frameTable(header: [String], rows: [[String]]) -> String {
        var widths = header.map { $0.count }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], cell.count)
            }
        }
        let rule = "-" + widths.map { String(repeating: "-", count: $0 + 2) + "-" }.joined()
        func line(_ cells: [String]) -> String {
            " "
                + zip(cells, widths).map { cell, width in
                    cell + String(repeating: " ", count: width - cell.count) + "  " + " "
                }.joined()
        }
        var out = [rule, line(header), rule]
        out += rows.map(line)
        out.append(rule)
        return out.joined(separator: "\n")
    }
}
