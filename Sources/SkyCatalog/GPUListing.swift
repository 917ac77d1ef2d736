import Foundation

/// `sky gpus list` data: SkyPilot's `list_accelerators` / `list_accelerator_counts` over the
/// catalogs (GCP GPUs combined with their cheapest host VM per zone; TPUs grouped by version).
package struct GPUListing: Sendable {
    package let store: CatalogStore

    package init(store: CatalogStore) {
        self.store = store
    }

    /// Filters of a listing. Name and region filters are case-insensitive substring matches.
    package struct Filter: Sendable {
        package var name: String?
        package var region: String?
        package var quantity: Double?
        package var allRegions = false

        package init(
            name: String? = nil, region: String? = nil, quantity: Double? = nil,
            allRegions: Bool = false
        ) {
            self.name = name
            self.region = region
            self.quantity = quantity
            self.allRegions = allRegions
        }
    }

    /// Offerings per accelerator name; keys in SkyPilot's order (per cloud, names sorted).
    package func offerings(clouds: [String], filter: Filter) throws -> [(String, [GPUOffering])] {
        var order: [String] = []
        var merged: [String: [GPUOffering]] = [:]
        for cloud in clouds {
            guard let catalog = try store.catalog(for: cloud) else { continue }
            for (name, items) in offerings(catalog, filter: filter) {
                if merged[name] == nil { order.append(name) }
                merged[name, default: []] += items
            }
        }
        return order.map { ($0, merged[$0] ?? []) }
    }

    /// Available counts per accelerator over `clouds` (no prices needed).
    package func counts(clouds: [String], region: String?) throws -> [String: [Double]] {
        var out: [String: Set<Double>] = [:]
        for cloud in clouds {
            guard let catalog = try store.catalog(for: cloud) else { continue }
            for row in catalog.acceleratorRows where row.gpuInfo != nil {
                guard let name = row.acceleratorName, let count = row.acceleratorCount else {
                    continue
                }
                if let region, !row.region.lowercased().contains(region.lowercased()) { continue }
                out[name, default: []].insert(count)
            }
        }
        return out.mapValues { $0.sorted() }
    }

    func offerings(_ catalog: CloudCatalog, filter: Filter) -> [(String, [GPUOffering])] {
        let display = CloudTraits.forCloud(catalog.cloud).displayName
        var rows = catalog.acceleratorRows.filter { $0.gpuInfo != nil }
        func keep(_ row: CatalogRow) -> Bool {
            if let name = filter.name,
                !(row.acceleratorName ?? "").lowercased().contains(name.lowercased())
            {
                return false
            }
            if let region = filter.region, !row.region.lowercased().contains(region.lowercased()) {
                return false
            }
            if let quantity = filter.quantity, row.acceleratorCount != quantity { return false }
            return true
        }
        var deviceMemoryKnown: Bool
        if catalog.cloud == "gcp" {
            rows = rows.filter(keep)
            deviceMemoryKnown = rows.allSatisfy { $0.deviceMemoryGiB != nil }
            var hostsByZone: [String: [CatalogRow]] = [:]
            for row in catalog.rows(instanceTypesWhere: { _ in true }) where row.price != nil {
                hostsByZone[row.region + "|" + (row.zone ?? ""), default: []].append(row)
            }
            rows = rows.compactMap { gcpWithHost($0, hostsByZone: hostsByZone) }
        } else {
            deviceMemoryKnown = rows.allSatisfy { $0.deviceMemoryGiB != nil }
            rows = rows.filter(keep)
        }
        var groups: [String: [GPUOffering]] = [:]
        for row in rows {
            guard let name = row.acceleratorName, let count = row.acceleratorCount else { continue }
            groups[name, default: []].append(
                GPUOffering(
                    cloud: display, instanceType: row.instanceType.isEmpty ? nil : row.instanceType,
                    acceleratorName: name, acceleratorCount: count, cpus: row.cpus,
                    deviceMemoryGiB: deviceMemoryKnown ? row.deviceMemoryGiB : nil,
                    memoryGiB: row.memoryGiB, price: row.price, spotPrice: row.spotPrice,
                    region: row.region))
        }
        var result: [(String, [GPUOffering])] = groups.keys.sorted().map { name in
            (name, cheapestPerShape(groups[name] ?? [], allRegions: filter.allRegions))
        }
        if catalog.cloud == "gcp" {
            // TPUs are grouped by version (`tpu-v5p-8` -> `tpu-v5p`), cheapest first.
            var tpus: [String: [GPUOffering]] = [:]
            var tpuOrder: [String] = []
            result = result.filter { name, items in
                guard name.hasPrefix("tpu-") else { return true }
                let group =
                    "tpu-" + (name.split(separator: "-").dropFirst().first.map(String.init) ?? "")
                if tpus[group] == nil { tpuOrder.append(group) }
                tpus[group, default: []] += items
                return false
            }
            for group in tpuOrder {
                let items = (tpus[group] ?? []).enumerated().sorted { a, b in
                    let x = a.element
                    let y = b.element
                    if (x.price ?? .infinity) != (y.price ?? .infinity) {
                        return (x.price ?? .infinity) < (y.price ?? .infinity)
                    }
                    if (x.spotPrice ?? .infinity) != (y.spotPrice ?? .infinity) {
                        return (x.spotPrice ?? .infinity) < (y.spotPrice ?? .infinity)
                    }
                    if x.region != y.region { return x.region < y.region }
                    return a.offset < b.offset
                }.map(\.element)
                result.append((group, items))
            }
        }
        return result
    }

    /// GCP accelerator rows get the cheapest host VM of their zone; price = GPU + host.
    private func gcpWithHost(_ row: CatalogRow, hostsByZone: [String: [CatalogRow]]) -> CatalogRow?
    {
        guard let name = row.acceleratorName, let count = row.acceleratorCount else { return nil }
        if GCPCatalogRules.isTPU(name) { return row }
        let zoneRows = hostsByZone[row.region + "|" + (row.zone ?? "")] ?? []
        var hosts: [CatalogRow]
        if let byCount = GCPCatalogRules.acceleratorMachineTypes[name] {
            let types = Set(GCPCatalogRules.wholeCount(count).flatMap { byCount[$0] } ?? [])
            hosts = zoneRows.filter { types.contains($0.instanceType) }
        } else {
            let key = GCPCatalogRules.hostCPUs[name] != nil ? name : "DEFAULT"
            guard let n = GCPCatalogRules.wholeCount(count),
                let cpus = GCPCatalogRules.hostCPUs[key]?[n]
            else { return nil }
            hosts = zoneRows.filter { host in
                GCPCatalogRules.hostFamilies.contains { host.instanceType.hasPrefix($0) }
                    && (host.cpus ?? 0) >= cpus
                    && (host.memoryGiB ?? 0) >= cpus * GCPCatalogRules.gpuMemoryPerCPU
            }
        }
        guard var host = hosts.first, row.price != nil else { return nil }
        for candidate in hosts where (candidate.price ?? .infinity) < (host.price ?? .infinity) {
            host = candidate
        }
        var combined = row
        combined.instanceType = host.instanceType
        combined.cpus = host.cpus
        combined.memoryGiB = host.memoryGiB
        combined.price = (row.price ?? 0) + (host.price ?? 0)
        if let spot = row.spotPrice, let hostSpot = host.spotPrice {
            combined.spotPrice = spot + hostSpot
        } else {
            combined.spotPrice = nil
        }
        return combined
    }

    /// Cheapest row per (instance type, count, vCPUs, memory[, region]), then SkyPilot's order:
    /// count, instance type, vCPUs, price, spot price, region.
    private func cheapestPerShape(_ items: [GPUOffering], allRegions: Bool) -> [GPUOffering] {
        func cmp(_ a: Double?, _ b: Double?) -> Bool? {
            let x = a ?? .infinity
            let y = b ?? .infinity
            return x == y ? nil : x < y
        }
        let sorted = items.enumerated().sorted { a, b in
            if let r = cmp(a.element.price, b.element.price) { return r }
            if let r = cmp(a.element.spotPrice, b.element.spotPrice) { return r }
            if allRegions && a.element.region != b.element.region {
                return a.element.region < b.element.region
            }
            return a.offset < b.offset
        }.map(\.element)
        var seen = Set<String>()
        var unique: [GPUOffering] = []
        for item in sorted {
            var key =
                "\(item.instanceType ?? "")|\(item.acceleratorCount)|\(item.cpus ?? -1)|\(item.memoryGiB ?? -1)"
            if allRegions { key += "|" + item.region }
            if seen.insert(key).inserted { unique.append(item) }
        }
        return unique.sorted { a, b in
            if a.acceleratorCount != b.acceleratorCount {
                return a.acceleratorCount < b.acceleratorCount
            }
            if (a.instanceType ?? "") != (b.instanceType ?? "") {
                return (a.instanceType ?? "") < (b.instanceType ?? "")
            }
            if (a.cpus ?? 0) != (b.cpus ?? 0) { return (a.cpus ?? 0) < (b.cpus ?? 0) }
            if let r = cmp(a.price, b.price) { return r }
            if let r = cmp(a.spotPrice, b.spotPrice) { return r }
            return a.region < b.region
        }
    }
}
