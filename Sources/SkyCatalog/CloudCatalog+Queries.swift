import Foundation

/// The cloud-independent catalog queries of SkyPilot's `sky/catalog/common.py`.
extension CloudCatalog {
    /// Rows in `region` / `zone` (case-insensitive), all rows for nil.
    package static func filter(_ rows: [CatalogRow], region: String?, zone: String?) -> [CatalogRow]
    {
        var out = rows
        if let region {
            let lower = region.lowercased()
            out = out.filter { $0.region.lowercased() == lower }
        }
        if let zone {
            let lower = zone.lowercased()
            out = out.filter { $0.zone?.lowercased() == lower }
        }
        return out
    }

    /// Rows meeting a vCPU and memory requirement.
    package static func filter(
        _ rows: [CatalogRow], cpus: SizeRequirement?, memory: SizeRequirement?
    ) -> [CatalogRow] {
        rows.filter { row in
            (cpus?.admits(row.cpus) ?? true)
                && (memory?.admits(row.memoryGiB, cpus: row.cpus) ?? true)
        }
    }

    /// Stable sort by a price column, missing prices last (pandas `sort_values` puts NaN last).
    package static func sortedByPrice(_ rows: [CatalogRow], spot: Bool) -> [CatalogRow] {
        rows.enumerated().sorted { lhs, rhs in
            let a = lhs.element.price(spot: spot)
            let b = rhs.element.price(spot: spot)
            switch (a, b) {
            case let (x?, y?): return x != y ? x < y : lhs.offset < rhs.offset
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return lhs.offset < rhs.offset
            }
        }.map(\.element)
    }

    /// `get_instance_type_for_cpus_mem_impl`: the cheapest instance type among `rows` meeting
    /// the requirements. The spot price orders only when `maxHourlyCost` is set too.
    package static func cheapestInstanceType(
        _ rows: [CatalogRow], cpus: SizeRequirement?, memory: SizeRequirement?,
        region: String? = nil, zone: String? = nil, useSpot: Bool = false,
        maxHourlyCost: Double? = nil
    ) -> String? {
        var candidates = filter(
            filter(rows, region: region, zone: zone), cpus: cpus, memory: memory)
        if candidates.isEmpty { return nil }
        let spot = useSpot && maxHourlyCost != nil
        if candidates.allSatisfy({ $0.price(spot: spot) == nil }) { return nil }
        if let maxHourlyCost {
            candidates = candidates.filter { ($0.price(spot: spot) ?? .infinity) <= maxHourlyCost }
            if candidates.isEmpty { return nil }
        }
        var best: CatalogRow?
        for row in candidates {
            guard let price = row.price(spot: spot) else { continue }
            if let current = best?.price(spot: spot), current <= price { continue }
            best = row
        }
        return best?.instanceType
    }

    /// `get_instance_type_for_accelerator_impl`: instance types carrying `count` of `accelerator`
    /// that meet the requirements, cheapest first. `nil` = the accelerator is not offered here
    /// (then `fuzzy` lists close offerings such as `A100-80GB:1`); empty = offered but filtered.
    package func instanceTypes(
        accelerator: String, count: Double, cpus: SizeRequirement?, memory: SizeRequirement?,
        useSpot: Bool, region: String?, zone: String?, maxHourlyCost: Double?
    ) -> (types: [String]?, fuzzy: [String]) {
        let matching = Self.filter(
            rows(accelerator: accelerator).filter {
                abs(($0.acceleratorCount ?? .nan) - count) <= 0.01
            },
            region: region, zone: zone)
        if matching.isEmpty {
            return (
                nil,
                fuzzyCandidates(accelerator: accelerator, count: count, region: region, zone: zone)
            )
        }
        var result = Self.filter(matching, cpus: cpus, memory: memory)
        if result.isEmpty { return ([], []) }
        if result.allSatisfy({ $0.price(spot: useSpot) == nil }) { return ([], []) }
        if let maxHourlyCost {
            result = result.filter { ($0.price(spot: useSpot) ?? .infinity) <= maxHourlyCost }
            if result.isEmpty { return ([], []) }
        }
        var seen = Set<String>()
        var types: [String] = []
        for row in Self.sortedByPrice(result, spot: useSpot)
        where seen.insert(row.instanceType).inserted {
            types.append(row.instanceType)
        }
        return (types, [])
    }

    /// Offerings whose accelerator name contains `accelerator` with at least `count` devices,
    /// cheapest first, as `NAME:COUNT`.
    package func fuzzyCandidates(
        accelerator: String, count: Double, region: String?, zone: String?
    ) -> [String] {
        let lower = accelerator.lowercased()
        var numbers: [Int] = []
        for key in table.index(.accelerator).keys where key.contains(lower) {
            numbers += table.rows(.accelerator, key).filter { row in
                (table.number(.acceleratorCount, row) ?? -.infinity) >= count
                    && matches(row, region: region, zone: zone)
            }
        }
        let rows = numbers.sorted().map(table.row)
        var seen = Set<String>()
        var out: [String] = []
        for row in Self.sortedByPrice(rows, spot: false) {
            guard let name = row.acceleratorName, let c = row.acceleratorCount else { continue }
            let text = name + ":" + (c == c.rounded() ? String(Int(c)) : String(format: "%.2f", c))
            if seen.insert(text).inserted { out.append(text) }
        }
        return out
    }

    /// `get_region_zones`: regions offering `rows` (priced), ordered by (price, region, zone);
    /// each region's zones in the same order.
    package func regionZones(_ rows: [CatalogRow], useSpot: Bool) -> [CatalogRegion] {
        let priced = rows.filter { $0.price(spot: useSpot) != nil && (!hasZones || $0.zone != nil) }
        let sorted = priced.sorted { a, b in
            let pa = a.price(spot: useSpot) ?? 0
            let pb = b.price(spot: useSpot) ?? 0
            if pa != pb { return pa < pb }
            if a.region != b.region { return a.region < b.region }
            return (a.zone ?? "") < (b.zone ?? "")
        }
        var order: [String] = []
        var zones: [String: [String]] = [:]
        for row in sorted {
            if zones[row.region] == nil {
                order.append(row.region)
                zones[row.region] = []
            }
            if let zone = row.zone { zones[row.region, default: []].append(zone) }
        }
        return order.map { CatalogRegion(name: $0, zones: hasZones ? zones[$0] : nil) }
    }
}
