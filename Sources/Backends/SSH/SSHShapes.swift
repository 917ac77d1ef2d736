import Foundation
import SkyCore
import SkyProvision

/// Turns a pool's inventory into offerings: one per distinct host shape that fits the
/// request, `available` = free reachable hosts covering that shape.
enum SSHShapes {
    static func offerings(
        pool: SSHNodePools.Pool, inventory: SSHPoolInventory, held: Set<String>,
        resources: Resources
    ) -> [Offering] {
        let reachable = inventory.hosts.filter(\.reachable)
        var seen: Set<String> = []
        var out: [Offering] = []
        for facts in reachable where fits(facts, resources) && seen.insert(facts.shape).inserted {
            let free = reachable.filter { !held.contains($0.host) && $0.covers(facts) }.count
            let accelerator = facts.accelerators.sorted { $0.key < $1.key }.first
            out.append(
                Offering(
                    cloud: SSHPoolProvisioner.backendName, region: pool.region,
                    instanceType: facts.shape, cpus: facts.cpus, memoryGB: facts.memoryGB,
                    acceleratorName: accelerator?.key, acceleratorCount: accelerator?.value ?? 0,
                    price: 0, available: free))
        }
        return out
    }

    /// Requested amounts are minimums on a fixed host.
    static func fits(_ facts: SSHHostFacts, _ resources: Resources) -> Bool {
        if let cpus = resources.cpus, facts.cpus + 1e-9 < cpus.value { return false }
        if let memory = resources.memory, facts.memoryGB + 1e-9 < memory.value { return false }
        if let accelerator = resources.accelerator, accelerator.count > 0 {
            let have =
                facts.accelerators.first {
                    $0.key.lowercased() == accelerator.name.lowercased()
                }?.value ?? 0
            if have + 1e-9 < accelerator.count { return false }
        }
        return true
    }

    /// Facts for a shape string's host, for filtering candidate hosts.
    static func facts(of offering: Offering) -> SSHHostFacts {
        var accelerators: [String: Double] = [:]
        if let name = offering.acceleratorName { accelerators[name] = offering.acceleratorCount }
        return SSHHostFacts(
            host: "", cpus: offering.cpus, memoryGB: offering.memoryGB,
            accelerators: accelerators, reachable: true, error: nil, detectedAt: .distantPast)
    }
}
