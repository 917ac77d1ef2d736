import Foundation

/// The parsed `vms.csv` of one cloud, with the indexes the optimizer and `sky gpus list` need.
/// Immutable once loaded; shared by every caller in the process.
package final class CloudCatalog: Sendable {
    /// Lower-case cloud name (`gcp`, `azure`, `lambda`, `aws`, `runpod`, ...).
    package let cloud: String
    /// Rows in file order.
    package let rows: [CatalogRow]
    /// Where the rows came from.
    package let source: CatalogSource
    /// Row indexes per instance type, in file order.
    private let byInstanceType: [String: [Int]]
    /// Row indexes per lower-cased accelerator name, in file order.
    private let byAccelerator: [String: [Int]]
    /// Lower-cased region names, sorted.
    package let regionNames: [String]
    /// Whether the file has an `AvailabilityZone` column.
    package let hasZones: Bool

    package init(cloud: String, rows: [CatalogRow], source: CatalogSource, hasZones: Bool) {
        self.cloud = cloud
        self.rows = rows
        self.source = source
        self.hasZones = hasZones
        var byType: [String: [Int]] = [:]
        var byAcc: [String: [Int]] = [:]
        var regions = Set<String>()
        for (index, row) in rows.enumerated() {
            if !row.instanceType.isEmpty { byType[row.instanceType, default: []].append(index) }
            if let acc = row.acceleratorName { byAcc[acc.lowercased(), default: []].append(index) }
            regions.insert(row.region.lowercased())
        }
        self.byInstanceType = byType
        self.byAccelerator = byAcc
        self.regionNames = regions.sorted()
    }

    /// Rows of one instance type (exact, case-sensitive, like SkyPilot).
    package func rows(instanceType: String) -> [CatalogRow] {
        (byInstanceType[instanceType] ?? []).map { rows[$0] }
    }

    /// Rows offering an accelerator (case-insensitive name match).
    package func rows(accelerator: String) -> [CatalogRow] {
        (byAccelerator[accelerator.lowercased()] ?? []).map { rows[$0] }
    }

    package func instanceTypeExists(_ instanceType: String) -> Bool {
        byInstanceType[instanceType] != nil
    }

    package var instanceTypes: [String] { Array(byInstanceType.keys) }

    /// Canonical accelerator names offered by this catalog.
    package var acceleratorNames: [String] {
        var seen: [String: String] = [:]
        for indexes in byAccelerator.values {
            if let first = indexes.first, let name = rows[first].acceleratorName {
                seen[name.lowercased()] = name
            }
        }
        return seen.values.sorted()
    }

    /// vCPUs and memory of an instance type (first row), nil when unknown.
    package func cpusMemory(instanceType: String) -> (cpus: Double?, memoryGiB: Double?)? {
        guard let first = byInstanceType[instanceType]?.first else { return nil }
        return (rows[first].cpus, rows[first].memoryGiB)
    }

    /// The accelerator built into an instance type, per the catalog row (not GCP's a2/g2/a3
    /// mapping, see `CloudTraits`).
    package func accelerator(instanceType: String) -> (name: String, count: Double)? {
        guard let first = byInstanceType[instanceType]?.first,
            let name = rows[first].acceleratorName, let count = rows[first].acceleratorCount
        else { return nil }
        return (name, count)
    }

    /// Zones of a region, in file order, without duplicates.
    package func zones(region: String) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for row in rows where row.region.lowercased() == region.lowercased() {
            if let zone = row.zone, seen.insert(zone).inserted { out.append(zone) }
        }
        return out
    }

    /// All zone names, sorted.
    package var zoneNames: [String] {
        Set(rows.compactMap(\.zone)).sorted()
    }
}

/// Where a catalog file was read from.
package struct CatalogSource: Sendable, Hashable {
    package var path: String
    /// True for the copy shipped inside the package; false for `~/.sky/catalogs/v8/...`.
    package var bundled: Bool
    package var modified: Date?

    package init(path: String, bundled: Bool, modified: Date?) {
        self.path = path
        self.bundled = bundled
        self.modified = modified
    }
}
