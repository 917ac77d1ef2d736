import SkyCore

/// Turns an inventory into offerings. A Slurm node is shared: the cluster gets what the task
/// asks for (CPUs per node, memory when asked, GPUs as GRES), not a whole node. One offering
/// per partition (zone) and GPU type that some node of the partition can hold; `available` =
/// nodes that can hold it right now, nil (Slurm queues it) when all are busy. When the task
/// names the slurm infra and no node can hold its GPUs, the shape is still offered, so the
/// launch fails fast with Slurm's own reason ("Requested node configuration is not
/// available", "Invalid generic resource") instead of a generic "no resources".
enum SlurmShapes {
    /// CPUs per node when the task names none (reference 6.3: 2, 4 with GPUs), capped by the
    /// largest node.
    static func defaultCPUs(withGPUs: Bool) -> Double { withGPUs ? 4 : 2 }

    static func offerings(
        inventory: SlurmInventory, resources: Resources, price: SlurmPriceFunction,
        cpuPartition: String?
    ) -> [Offering] {
        var out: [Offering] = []
        let wantsGPU = (resources.accelerator?.count ?? 0) > 0
        for partition in inventory.partitions where partition.isUp {
            if let zone = resources.zone, zone != partition.name { continue }
            if resources.zone == nil, !wantsGPU, let cpuPartition, cpuPartition != partition.name {
                continue
            }
            let members = inventory.nodes(in: partition).filter { $0.isUsable }
            guard !members.isEmpty else { continue }
            let choices = gpuChoices(resources, members)
            if let asked = resources.accelerator, asked.count > 0,
                resources.cloud == SlurmProvisioner.backendName,
                !choices.contains(where: { choice in
                    members.contains {
                        SlurmInventory.gpus($0, type: choice.0 ?? "").total >= choice.1
                    }
                })
            {
                let count = Double(Int(asked.count.rounded(.up)))
                let cpus = cpusFor(
                    resources, wantsGPU: true, biggestNode: members.map(\.cpus).max() ?? 1)
                let memoryGB = resources.memory?.value ?? 0
                let type = choices.first?.0 ?? asked.name
                out.append(
                    Offering(
                        cloud: SlurmProvisioner.backendName, region: inventory.clusterName,
                        zone: partition.name,
                        instanceType: instanceType(cpus, memoryGB, type, count), cpus: cpus,
                        memoryGB: memoryGB, acceleratorName: type, acceleratorCount: count,
                        price: price(
                            inventory.clusterName, partition.name, cpus, memoryGB, type, count)))
                continue
            }
            for (type, gpuCount) in choices {
                let fitting = members.filter { node in
                    gpuCount == 0 || SlurmInventory.gpus(node, type: type ?? "").total >= gpuCount
                }
                guard let biggest = fitting.map(\.cpus).max() else { continue }
                let cpus = cpusFor(resources, wantsGPU: gpuCount > 0, biggestNode: biggest)
                let memoryGB = resources.memory?.value ?? 0
                let holders = fitting.filter { node in
                    Double(node.cpus) + 1e-9 >= cpus
                        && (memoryGB == 0 || Double(node.memoryMB) / 1024 + 1e-9 >= memoryGB)
                }
                guard !holders.isEmpty else { continue }
                let free = holders.filter { node in
                    Double(node.freeCPUs) + 1e-9 >= cpus
                        && (gpuCount == 0
                            || SlurmInventory.gpus(node, type: type ?? "").free >= gpuCount)
                }.count
                let accelerator = gpuCount > 0 ? type : nil
                out.append(
                    Offering(
                        cloud: SlurmProvisioner.backendName, region: inventory.clusterName,
                        zone: partition.name,
                        instanceType: instanceType(cpus, memoryGB, accelerator, Double(gpuCount)),
                        cpus: cpus, memoryGB: memoryGB, acceleratorName: accelerator,
                        acceleratorCount: Double(gpuCount),
                        price: price(
                            inventory.clusterName, partition.name, cpus, memoryGB, accelerator,
                            Double(gpuCount)),
                        available: free > 0 ? free : nil))
            }
        }
        return out
    }

    /// (GPU type, count per node) candidates: none for CPU tasks; for a named accelerator,
    /// the GRES type with that name (case-insensitive; `GPU` = untyped GRES).
    private static func gpuChoices(_ resources: Resources, _ nodes: [SlurmNode]) -> [(String?, Int)]
    {
        guard let accelerator = resources.accelerator, accelerator.count > 0 else {
            return [(nil, 0)]
        }
        let count = Int(accelerator.count.rounded(.up))
        let types = Set(nodes.flatMap { $0.gres.gpus.keys.map { $0 ?? SlurmInventory.untypedGPU } })
        return types.filter { $0.lowercased() == accelerator.name.lowercased() }.sorted().map {
            ($0, count)
        }
    }

    private static func cpusFor(_ resources: Resources, wantsGPU: Bool, biggestNode: Int) -> Double
    {
        if let cpus = resources.cpus { return cpus.value.rounded(.up) }
        return min(defaultCPUs(withGPUs: wantsGPU), Double(biggestNode))
    }

    /// `2CPU--4GB--a100:1` (memory left out when not requested).
    static func instanceType(_ cpus: Double, _ memoryGB: Double, _ gpu: String?, _ count: Double)
        -> String
    {
        func fmt(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
        var parts = ["\(fmt(cpus))CPU"]
        if memoryGB > 0 { parts.append("\(fmt(memoryGB))GB") }
        if let gpu, count > 0 { parts.append("\(gpu):\(fmt(count))") }
        return parts.joined(separator: "--")
    }
}
