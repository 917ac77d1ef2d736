import SkyCatalog
import SkyCore

/// Renders the GPUs of live backends (`sky gpus list --infra slurm|kubernetes|...`), in the
/// layout SkyPilot uses for Kubernetes: a section per backend and region, one row per
/// (zone,) accelerator with the counts a node can be asked for and its utilization.
enum LiveGPUListing {
    /// Keeps entries of `name` (case-insensitive) that a node can hold `quantity` of.
    static func filter(_ entries: [LiveGPUAvailability], name: String?, quantity: Double?)
        -> [LiveGPUAvailability]
    {
        entries.filter { entry in
            if let name, entry.accelerator.lowercased() != name.lowercased() { return false }
            if let quantity, Double(entry.perNode.max() ?? 0) + 1e-9 < quantity { return false }
            return true
        }
    }

    static func json(_ entries: [LiveGPUAvailability]) -> String {
        JSONValue.array(entries.map(\.json)).encoded(sortedKeys: false, pretty: true)
    }

    static func text(_ entries: [LiveGPUAvailability], cloud: String) -> String {
        let display = CloudTraits.forCloud(cloud).displayName
        guard !entries.isEmpty else { return "No GPUs found on \(display)." }
        let regionLabel = cloud == "slurm" ? "Cluster" : "Context"
        let zoneLabel = cloud == "slurm" ? "PARTITION" : "ZONE"
        var sections: [String] = []
        var regions: [String] = []
        for entry in entries where !regions.contains(entry.region) { regions.append(entry.region) }
        for region in regions {
            let rows = entries.filter { $0.region == region }
            let withZone = rows.contains { $0.zone != nil }
            var header = ["GPU", "REQUESTABLE_QTY_PER_NODE", "UTILIZATION"]
            if withZone { header.insert(zoneLabel, at: 0) }
            let cells = rows.map { row -> [String] in
                var line = [
                    row.accelerator, row.perNode.map(String.init).joined(separator: ", "),
                    utilization(row),
                ]
                if withZone { line.insert(row.zone ?? "-", at: 0) }
                return line
            }
            sections.append(
                "\(display) GPUs\n\(regionLabel): \(region)\n"
                    + SkyEngine.plainTable(header: header, rows: cells))
        }
        return sections.joined(separator: "\n\n")
    }

    static func utilization(_ entry: LiveGPUAvailability) -> String {
        switch (entry.free, entry.total) {
        case (let free?, let total?): "\(free) of \(total) free"
        case (nil, let total?): "\(total) in total"
        default: "-"
        }
    }
}
