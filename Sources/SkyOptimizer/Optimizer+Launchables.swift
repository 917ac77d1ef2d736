import SkyCatalog
import SkyCore

/// Per request and cloud: the cheapest feasible instance type (SkyPilot's
/// `_get_feasible_launchable_resources`), then one candidate per region / zone offering it
/// (`make_launchables_for_valid_region_zones`), each priced.
extension Optimizer {
    struct RequestLaunchables {
        var candidates: [LaunchCandidate] = []
        var fuzzy: [String] = []
        var hints: [String] = []
    }

    /// A feasible shape on one cloud: instance type plus the accelerator it carries.
    struct Feasible {
        var instanceType: String
        var accelerator: Resources.Accelerator?
    }

    func launchables(
        for request: ResourceRequest, enabledClouds: [String], liveOfferings: [Offering]
    ) throws -> RequestLaunchables {
        var out = RequestLaunchables()
        let liveClouds = liveOfferings.map(\.cloud).reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        var clouds = enabledClouds + liveClouds.filter { !enabledClouds.contains($0) }
        if let cloud = request.resources.cloud {
            clouds = clouds.contains(cloud) ? [cloud] : []
        }
        for cloud in clouds {
            if liveClouds.contains(cloud) {
                out.candidates += liveCandidates(
                    request, offerings: liveOfferings.filter { $0.cloud == cloud })
                continue
            }
            guard let catalog = try catalogs.catalog(for: cloud) else { continue }
            let traits = CloudTraits.forCloud(cloud)
            if request.resources.useSpot && !traits.supportsSpot {
                out.hints.append(
                    "\(traits.displayName): Spot instances are not supported in \(traits.displayName)."
                )
                continue
            }
            let (feasible, fuzzy) = feasibleShapes(request, catalog: catalog, traits: traits)
            out.fuzzy += fuzzy
            guard let cheapest = feasible.first else { continue }
            out.candidates += candidates(request, shape: cheapest, catalog: catalog, traits: traits)
        }
        return out
    }

    /// Feasible shapes, cheapest first, and fuzzy alternatives when the accelerator is absent.
    func feasibleShapes(
        _ request: ResourceRequest, catalog: CloudCatalog, traits: CloudTraits
    ) -> ([Feasible], [String]) {
        let r = request.resources
        let gcp = catalog.cloud == "gcp"
        if let type = r.instanceType {
            var acc = r.accelerator
            if acc == nil {
                if gcp, let built = GCPCatalogRules.machineTypeAccelerator[type] {
                    acc = Resources.Accelerator(name: built.name, count: built.count)
                } else if !gcp, let built = catalog.accelerator(instanceType: type) {
                    acc = Resources.Accelerator(name: built.name, count: built.count)
                }
            }
            if gcp, let acc,
                catalog.gcpAttachProblem(
                    instanceType: type, accelerator: acc.name, count: acc.count) != nil
            {
                return ([], [])
            }
            if !gcp, let built = catalog.accelerator(instanceType: type) {
                acc = Resources.Accelerator(name: built.name, count: built.count)
            } else if !gcp {
                acc = nil
            }
            guard diskTierAllowed(r.diskTier, instanceType: type, cloud: catalog.cloud) else {
                return ([], [])
            }
            return ([Feasible(instanceType: type, accelerator: acc)], [])
        }
        guard let acc = r.accelerator else {
            var cpus = request.cpus
            var memory = request.memory
            if cpus == nil && memory == nil, let n = traits.defaultCPUs { cpus = .atLeast(n) }
            if memory == nil, let ratio = traits.defaultMemoryPerCPU { memory = .perCPU(ratio) }
            let rows = catalog.rows(instanceTypesWhere: { type in
                traits.isDefaultFamily(type)
                    && diskTierAllowed(r.diskTier, instanceType: type, cloud: catalog.cloud)
            })
            guard
                let type = CloudCatalog.cheapestInstanceType(
                    rows, cpus: cpus, memory: memory, region: r.region, zone: r.zone,
                    useSpot: r.useSpot, maxHourlyCost: r.maxHourlyCost)
            else { return ([], []) }
            // The type may carry GPUs (Lambda's 30-vCPU default is gpu_1x_a10).
            let built =
                gcp
                ? GCPCatalogRules.machineTypeAccelerator[type]
                : catalog.accelerator(instanceType: type)
            return (
                [
                    Feasible(
                        instanceType: type,
                        accelerator: built.map { .init(name: $0.name, count: $0.count) })
                ], []
            )
        }
        let (types, fuzzy) = catalog.instanceTypes(
            accelerator: acc.name, count: acc.count, cpus: request.cpus, memory: request.memory,
            useSpot: r.useSpot, region: r.region, zone: r.zone, maxHourlyCost: r.maxHourlyCost)
        guard let types else { return ([], fuzzy) }
        if gcp {
            if GCPCatalogRules.isTPU(acc.name), !tpuHostAdmits(request, accelerator: acc.name) {
                return ([], fuzzy)
            }
            guard
                let host = catalog.gcpHostMachineType(
                    accelerator: acc.name, count: acc.count,
                    cpus: GCPCatalogRules.isTPU(acc.name) ? nil : request.cpus,
                    memory: GCPCatalogRules.isTPU(acc.name) ? nil : request.memory)
            else { return ([], fuzzy) }
            return ([Feasible(instanceType: host, accelerator: acc)], fuzzy)
        }
        let shapes = types.filter {
            diskTierAllowed(r.diskTier, instanceType: $0, cloud: catalog.cloud)
        }.map { type -> Feasible in
            let built = catalog.accelerator(instanceType: type)
            return Feasible(
                instanceType: type,
                accelerator: built.map { Resources.Accelerator(name: $0.name, count: $0.count) }
                    ?? acc)
        }
        return (shapes, fuzzy)
    }

    /// TPU VMs have 96 vCPUs / 334 GB (240 / 400 for v4).
    private func tpuHostAdmits(_ request: ResourceRequest, accelerator: String) -> Bool {
        let v4 = accelerator.contains("v4")
        let cpus: Double = v4 ? 240 : 96
        let memory: Double = v4 ? 400 : 334
        if let want = request.cpus {
            if case .atLeast(let v) = want, v > cpus { return false }
            if case .exactly(let v) = want, v != cpus { return false }
        }
        if let want = request.memory {
            if case .atLeast(let v) = want, v > memory { return false }
            if case .exactly(let v) = want, v != memory { return false }
        }
        return true
    }

    /// Azure: `ultra` unsupported; premium tiers (medium, high) only on S-series.
    private func diskTierAllowed(_ tier: String?, instanceType: String, cloud: String) -> Bool {
        guard cloud == "azure", let tier = tier?.lowercased(), tier != "best", tier != "low" else {
            return true
        }
        if tier == "ultra" { return false }
        return CloudTraits.azureIsSSeries(instanceType)
    }

    /// One candidate per region (per zone when the cloud optimises by zone or for spot).
    func candidates(
        _ request: ResourceRequest, shape: Feasible, catalog: CloudCatalog, traits: CloudTraits
    ) -> [LaunchCandidate] {
        let r = request.resources
        var regions: [CatalogRegion]
        if catalog.cloud == "gcp", let acc = shape.accelerator {
            regions = catalog.gcpAcceleratorRegions(
                accelerator: acc.name, count: acc.count, hostType: shape.instanceType,
                useSpot: r.useSpot)
        } else {
            regions = traits.ordered(
                catalog.regionZones(
                    catalog.rows(instanceType: shape.instanceType), useSpot: r.useSpot))
        }
        if let region = r.region { regions = regions.filter { $0.name == region } }
        if let zone = r.zone {
            regions = regions.compactMap { region in
                let zones = (region.zones ?? []).filter { $0 == zone }
                return zones.isEmpty ? nil : CatalogRegion(name: region.name, zones: zones)
            }
        }
        if !r.imageID.isEmpty && r.imageID[nil] == nil {
            regions = regions.filter { region in r.imageID.keys.contains { $0 == region.name } }
        }
        let (cpus, memory) =
            shape.instanceType == "TPU-VM"
            ? (nil, nil) : (catalog.cpusMemory(instanceType: shape.instanceType) ?? (nil, nil))
        var out: [LaunchCandidate] = []
        for region in regions {
            let perZone = region.zones != nil && (r.useSpot || traits.optimizeByZone)
            let places: [(String?, [String]?)] =
                perZone ? (region.zones ?? []).map { ($0, [$0]) } : [(nil, region.zones)]
            for (zone, zones) in places {
                guard
                    let cost = price(
                        shape, catalog: catalog, spot: r.useSpot, region: region.name, zone: zone)
                else { continue }
                if let max = r.maxHourlyCost, cost > max + 1e-9 { continue }
                var resolved = r
                resolved.cloud = catalog.cloud
                resolved.region = region.name
                resolved.zone = zone
                resolved.instanceType = shape.instanceType
                resolved.accelerator = shape.accelerator
                out.append(
                    LaunchCandidate(
                        cloud: catalog.cloud, region: region.name, zone: zone, zones: zones,
                        instanceType: shape.instanceType, accelerator: shape.accelerator,
                        useSpot: r.useSpot, cpus: cpus, memoryGB: memory, hourlyCost: cost,
                        requestIndex: request.index, resources: resolved))
            }
        }
        return out
    }

    /// Hourly price of a shape in a region/zone: the instance, plus separately billed GPUs/TPUs
    /// on GCP.
    func price(
        _ shape: Feasible, catalog: CloudCatalog, spot: Bool, region: String, zone: String?
    ) -> Double? {
        var total = 0.0
        if shape.instanceType != "TPU-VM" {
            guard
                let vm = catalog.hourlyCost(
                    instanceType: shape.instanceType, useSpot: spot, region: region, zone: zone)
            else { return nil }
            total += vm
        }
        if catalog.cloud == "gcp", let acc = shape.accelerator {
            guard
                let gpu = catalog.gcpAcceleratorCost(
                    accelerator: acc.name, count: acc.count, useSpot: spot, region: region,
                    zone: zone)
            else { return nil }
            total += gpu
        }
        return total
    }
}
