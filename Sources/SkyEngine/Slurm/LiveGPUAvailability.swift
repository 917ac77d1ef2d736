import SkyCore
import SkyProvision

/// GPUs of one accelerator type at one place of a live backend (a Slurm cluster's partition,
/// a Kubernetes context): what `sky gpus list --infra <backend>` shows.
package struct LiveGPUAvailability: Sendable, Hashable {
    package var cloud: String
    /// Slurm cluster / Kubernetes context.
    package var region: String
    /// Slurm partition; nil where the backend has no such level.
    package var zone: String?
    package var accelerator: String
    /// Counts one node can be asked for.
    package var perNode: [Int]
    /// GPUs free now / in total; nil when the backend does not say.
    package var free: Int?
    package var total: Int?

    package init(
        cloud: String, region: String, zone: String?, accelerator: String, perNode: [Int],
        free: Int?, total: Int?
    ) {
        self.cloud = cloud
        self.region = region
        self.zone = zone
        self.accelerator = accelerator
        self.perNode = perNode
        self.free = free
        self.total = total
    }

    /// 1, 2, 4, ... up to `max`, and `max` itself.
    package static func requestable(upTo max: Int) -> [Int] {
        guard max > 0 else { return [] }
        var out: [Int] = []
        var n = 1
        while n < max {
            out.append(n)
            n *= 2
        }
        return out + [max]
    }

    var json: JSONValue {
        .object([
            ("cloud", .string(cloud)), ("region", .string(region)),
            ("zone", zone.map(JSONValue.string) ?? .null), ("accelerator", .string(accelerator)),
            ("requestable_qty_per_node", .array(perNode.map { .int($0) })),
            ("free", free.map { .int($0) } ?? .null), ("total", total.map { .int($0) } ?? .null),
        ])
    }
}

/// A live backend that reports its GPUs with free / total counts. Backends that do not
/// conform are listed from their offerings (per-node counts and nodes free only).
package protocol LiveGPUInventory: Sendable {
    func liveGPUs() async throws -> [LiveGPUAvailability]
}

extension LiveGPUAvailability {
    /// From a backend's offerings: one entry per (region, zone, accelerator), free/total
    /// unknown.
    static func fromOfferings(_ offerings: [Offering]) -> [LiveGPUAvailability] {
        var order: [String] = []
        var byKey: [String: LiveGPUAvailability] = [:]
        for offering in offerings {
            guard let name = offering.acceleratorName, offering.acceleratorCount > 0 else {
                continue
            }
            let key = [offering.cloud, offering.region, offering.zone ?? "", name].joined(
                separator: "\u{1}")
            let count = Int(offering.acceleratorCount.rounded(.up))
            if var entry = byKey[key] {
                if !entry.perNode.contains(count) {
                    entry.perNode = (entry.perNode + [count]).sorted()
                }
                byKey[key] = entry
            } else {
                order.append(key)
                byKey[key] = LiveGPUAvailability(
                    cloud: offering.cloud, region: offering.region, zone: offering.zone,
                    accelerator: name, perNode: [count], free: nil, total: nil)
            }
        }
        return order.compactMap { byKey[$0] }
    }
}
