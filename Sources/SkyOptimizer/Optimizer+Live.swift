import SkyCore

/// Live offerings (Kubernetes, Slurm, SSH pools, local, plugins): each offering is a candidate
/// when it can hold the request; its price comes from the backend (0 unless a pricing config
/// says otherwise).
extension Optimizer {
    func liveCandidates(_ request: ResourceRequest, offerings: [Offering]) -> [LaunchCandidate] {
        let r = request.resources
        var out: [LaunchCandidate] = []
        for offering in offerings {
            if let region = r.region, region != offering.region { continue }
            if let zone = r.zone, zone != offering.zone { continue }
            if let type = r.instanceType, type != offering.instanceType { continue }
            if let acc = r.accelerator {
                guard let name = offering.acceleratorName,
                    name.lowercased() == acc.name.lowercased(),
                    offering.acceleratorCount + 1e-9 >= acc.count
                else { continue }
            }
            // The request is carved out of the offering: its sizes are lower bounds.
            if let cpus = r.cpus, offering.cpus + 1e-9 < cpus.value { continue }
            if let memory = r.memory, offering.memoryGB + 1e-9 < memory.value { continue }
            if let available = offering.available, available < 1 { continue }
            let cost: Double
            if r.useSpot {
                guard let spot = offering.spotPrice else { continue }
                cost = spot
            } else {
                cost = offering.price
            }
            if let max = r.maxHourlyCost, cost > max + 1e-9 { continue }
            var resolved = r
            resolved.cloud = offering.cloud
            resolved.region = offering.region
            resolved.zone = offering.zone
            resolved.instanceType = offering.instanceType
            let accelerator =
                r.accelerator
                ?? offering.acceleratorName.map {
                    Resources.Accelerator(name: $0, count: offering.acceleratorCount)
                }
            out.append(
                LaunchCandidate(
                    cloud: offering.cloud, region: offering.region, zone: offering.zone,
                    zones: offering.zone.map { [$0] }, instanceType: offering.instanceType,
                    accelerator: accelerator, useSpot: r.useSpot, cpus: offering.cpus,
                    memoryGB: offering.memoryGB, hourlyCost: cost, requestIndex: request.index,
                    resources: resolved))
        }
        return out
    }
}
