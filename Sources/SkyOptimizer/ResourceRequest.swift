import SkyCatalog
import SkyCore

/// One request after SkyPilot's `Resources.validate()`: memory forms expanded, accelerator name
/// canonical, cloud inferred from a TPU name, instance type, region or zone.
struct ResourceRequest: Sendable {
    var resources: Resources
    /// Index in `Task.resources`.
    var index: Int
    var cpus: SizeRequirement?
    var memory: SizeRequirement?

    init(resources: Resources, index: Int) {
        self.resources = resources
        self.index = index
        self.cpus = resources.cpus.map { $0.orMore ? .atLeast($0.value) : .exactly($0.value) }
        self.memory = resources.memory.map { $0.orMore ? .atLeast($0.value) : .exactly($0.value) }
    }

    /// SkyPilot's `Resources.__repr__` with region/zone: `GCP(n1-standard-8[Spot], {'T4': 1})`.
    var display: String {
        let r = resources
        var parts: [String] = []
        var head = r.instanceType ?? ""
        if r.useSpot { head += "[Spot]" }
        if !head.isEmpty { parts.append(head) }
        if let cpus = r.cpus { parts.append("cpus=\(cpus)") }
        if let memory = r.memory { parts.append("mem=\(memory)") }
        if let acc = r.accelerator {
            let count =
                acc.count == acc.count.rounded() ? String(Int(acc.count)) : String(acc.count)
            parts.append("{'\(acc.name)': \(count)}")
        }
        if let cost = r.maxHourlyCost { parts.append("max_cost=$\(cost)/hr") }
        if let region = r.region { parts.append("region=\(region)") }
        if let zone = r.zone { parts.append("zone=\(zone)") }
        let cloud = r.cloud.map { CloudTraits.forCloud($0).displayName } ?? "<Cloud>"
        return "\(cloud)(\(parts.joined(separator: ", ")))"
    }
}
