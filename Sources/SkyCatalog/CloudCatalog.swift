import Foundation

/// The parsed `vms.csv` of one cloud, with the indexes the optimizer and `sky gpus list` need.
/// Immutable once loaded; shared by every caller in the process.
package final class CloudCatalog: Sendable {
    /// Lower-case cloud name (`gcp`, `azure`, `lambda`, `aws`, `runpod`, ...).
    package let cloud: String
    /// Where the rows came from.
    package let source: CatalogSource
    /// Whether the file has an `AvailabilityZone` column.
    package let hasZones: Bool
    let table: CatalogTable
    /// Row indexes per instance type, in file order.
    private let byInstanceType: [String: [Int]]
    /// Row indexes per lower-cased accelerator name, in file order.
    private let byAccelerator: [String: [Int]]
    /// Row indexes per lower-cased region, in file order.
    private let byRegion: [String: [Int]]
    /// Lower-cased region names, sorted.
    package let regionNames: [String]

    init(cloud: String, table: CatalogTable, source: CatalogSource) {
        self.cloud = cloud
        self.table = table
        self.source = source
        self.hasZones = table.hasZones
        // Group row indexes by string id with a counting sort (ids are dense): no hashing per row.
        func group(_ column: [Int32]) -> [(Int32, [Int])] {
            var counts = [Int](repeating: 0, count: table.strings.count)
            for id in column where id >= 0 { counts[Int(id)] += 1 }
            var starts = [Int](repeating: 0, count: counts.count + 1)
            for i in 0..<counts.count { starts[i + 1] = starts[i] + counts[i] }
            var fill = starts
            var order = [Int](repeating: 0, count: starts[counts.count])
            for (index, id) in column.enumerated() where id >= 0 {
                order[fill[Int(id)]] = index
                fill[Int(id)] += 1
            }
            var out: [(Int32, [Int])] = []
            for id in 0..<counts.count where counts[id] > 0 {
                out.append((Int32(id), Array(order[starts[id]..<starts[id + 1]])))
            }
            return out
        }
        func byName(_ groups: [(Int32, [Int])], lowercase: Bool) -> [String: [Int]] {
            var out: [String: [Int]] = [:]
            out.reserveCapacity(groups.count)
            var merged = false
            for (id, indexes) in groups {
                let name = table.text(id) ?? ""
                let key = lowercase ? name.lowercased() : name
                if out[key] != nil {
                    merged = true
                    out[key, default: []] += indexes
                } else {
                    out[key] = indexes
                }
            }
            if merged { for key in out.keys { out[key]?.sort() } }
            return out
        }
        let typeIDs = group(table.instanceType)
        let accIDs = group(table.acceleratorName)
        let regionIDs = group(table.region)
        self.byInstanceType = byName(typeIDs, lowercase: false)
        self.byAccelerator = byName(accIDs, lowercase: true)
        self.byRegion = byName(regionIDs, lowercase: true)
        self.regionNames = byRegion.keys.filter { !$0.isEmpty }.sorted()
    }

    /// Builds a catalog from rows (tests, synthetic catalogs).
    package convenience init(cloud: String, rows: [CatalogRow], source: CatalogSource, hasZones: Bool) {
        var table = CatalogTable()
        var ids: [String: Int32] = [:]
        func id(_ text: String?) -> Int32 {
            guard let text, !text.isEmpty else { return -1 }
            if let found = ids[text] { return found }
            let new = Int32(table.strings.count)
            table.strings.append(text)
            ids[text] = new
            return new
        }
        for row in rows {
            table.instanceType.append(id(row.instanceType))
            table.acceleratorName.append(id(row.acceleratorName))
            table.gpuInfo.append(id(row.gpuInfo))
            table.region.append(id(row.region))
            table.zone.append(id(row.zone))
            table.acceleratorCount.append(row.acceleratorCount ?? .nan)
            table.cpus.append(row.cpus ?? .nan)
            table.memory.append(row.memoryGiB ?? .nan)
            table.price.append(row.price ?? .nan)
            table.spotPrice.append(row.spotPrice ?? .nan)
        }
        table.hasZones = hasZones
        self.init(cloud: cloud, table: table, source: source)
    }

    /// Number of rows.
    package var count: Int { table.count }

    /// One row.
    package func row(_ index: Int) -> CatalogRow { table.row(index) }

    /// All rows in file order (builds every row; prefer the indexed queries).
    package var rows: [CatalogRow] { (0..<table.count).map(table.row) }

    /// Rows of one instance type (exact, case-sensitive, like SkyPilot).
    package func rows(instanceType: String) -> [CatalogRow] {
        (byInstanceType[instanceType] ?? []).map(table.row)
    }

    /// Rows of every instance type accepted by `include` (each type tested once).
    package func rows(instanceTypesWhere include: (String) -> Bool) -> [CatalogRow] {
        var indexes: [Int] = []
        for (type, rows) in byInstanceType where include(type) { indexes += rows }
        return indexes.sorted().map(table.row)
    }

    /// Rows offering an accelerator (case-insensitive name match).
    package func rows(accelerator: String) -> [CatalogRow] {
        (byAccelerator[accelerator.lowercased()] ?? []).map(table.row)
    }

    /// Rows of every accelerator (rows with an accelerator name), in file order.
    package var acceleratorRows: [CatalogRow] {
        byAccelerator.values.flatMap { $0 }.sorted().map(table.row)
    }

    /// Rows of a region (case-insensitive).
    package func rows(region: String) -> [CatalogRow] {
        (byRegion[region.lowercased()] ?? []).map(table.row)
    }

    package func instanceTypeExists(_ instanceType: String) -> Bool {
        byInstanceType[instanceType] != nil
    }

    package var instanceTypes: [String] { Array(byInstanceType.keys) }

    /// Canonical accelerator names offered by this catalog.
    package var acceleratorNames: [String] {
        byAccelerator.values.compactMap { $0.first.flatMap { table.text(table.acceleratorName[$0]) } }.sorted()
    }

    /// vCPUs and memory of an instance type (first row), nil when unknown.
    package func cpusMemory(instanceType: String) -> (cpus: Double?, memoryGiB: Double?)? {
        guard let first = byInstanceType[instanceType]?.first else { return nil }
        return (CatalogTable.value(table.cpus[first]), CatalogTable.value(table.memory[first]))
    }

    /// The accelerator built into an instance type, per the catalog row (not GCP's a2/g2/a3
    /// mapping, see `GCPCatalogRules`).
    package func accelerator(instanceType: String) -> (name: String, count: Double)? {
        guard let first = byInstanceType[instanceType]?.first,
            let name = table.text(table.acceleratorName[first]),
            let count = CatalogTable.value(table.acceleratorCount[first])
        else { return nil }
        return (name, count)
    }

    /// Zones of a region, in file order, without duplicates.
    package func zones(region: String) -> [String] {
        var seen = Set<String>()
        return rows(region: region).compactMap(\.zone).filter { seen.insert($0).inserted }
    }

    /// All zone names, sorted.
    package var zoneNames: [String] {
        Set(table.zone.compactMap { table.text($0) }).sorted()
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
