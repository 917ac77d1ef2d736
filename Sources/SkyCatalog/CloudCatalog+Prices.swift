import Foundation

/// Price lookups straight on the catalog image (row numbers and columns, no `CatalogRow`
/// built per row): the optimizer asks them once per candidate region or zone.
extension CloudCatalog {
    /// `get_hourly_cost_impl`: price of an instance type in a region/zone (cheapest row).
    package func hourlyCost(
        instanceType: String, useSpot: Bool, region: String?, zone: String?
    ) -> Double? {
        var best: Double?
        for row in table.rows(.instanceType, instanceType)
        where matches(row, region: region, zone: zone) {
            guard let price = table.number(useSpot ? .spotPrice : .price, row) else { continue }
            if best.map({ price < $0 }) ?? true { best = price }
        }
        return best
    }

    /// GCP: price of `count` accelerators in a region/zone (spot when available).
    package func gcpAcceleratorCost(
        accelerator: String, count: Double, useSpot: Bool, region: String?, zone: String?
    ) -> Double? {
        var onDemand: Double?
        var spot: Double?
        for row in table.rows(.accelerator, accelerator.lowercased())
        where table.number(.acceleratorCount, row) == count
            && matches(row, region: region, zone: zone)
        {
            if let price = table.number(.price, row), onDemand.map({ price < $0 }) ?? true {
                onDemand = price
            }
            if let price = table.number(.spotPrice, row), spot.map({ price < $0 }) ?? true {
                spot = price
            }
        }
        guard useSpot else { return onDemand }
        return spot ?? onDemand
    }

    /// Whether a row is in `region` / `zone` (case-insensitive; nil = any), like
    /// `CloudCatalog.filter(_:region:zone:)`.
    func matches(_ row: Int, region: String?, zone: String?) -> Bool {
        if let region {
            guard let text = table.text(.region, row), Self.sameIgnoringCase(text, region) else {
                return false
            }
        }
        if let zone {
            guard let text = table.text(.zone, row), Self.sameIgnoringCase(text, zone) else {
                return false
            }
        }
        return true
    }

    /// Case-insensitive equality: ASCII folding byte by byte (region and zone names are ASCII),
    /// `lowercased()` for anything else.
    static func sameIgnoringCase(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case (let x?, let y?):
                if x >= 0x80 || y >= 0x80 { return a.lowercased() == b.lowercased() }
                let lx = x >= 65 && x <= 90 ? x + 32 : x
                let ly = y >= 65 && y <= 90 ? y + 32 : y
                if lx != ly { return false }
            default:
                return false
            }
        }
    }
}
