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
    /// Lower-cased region names, sorted.
    package let regionNames: [String]

    init(cloud: String, table: CatalogTable, source: CatalogSource) {
        self.cloud = cloud
        self.table = table
        self.source = source
        self.hasZones = table.hasZones
        self.regionNames = table.index(.region).keys.filter { !$0.isEmpty }.sorted()
    }

    /// Builds a catalog from rows (tests, synthetic catalogs).
    package convenience init(
        cloud: String, rows: [CatalogRow], source: CatalogSource, hasZones: Bool
    ) {
        var columns = CatalogColumns()
        var ids: [String: Int32] = [:]
        func id(_ text: String?) -> Int32 {
            guard let text, !text.isEmpty else { return -1 }
            if let found = ids[text] { return found }
            let new = Int32(columns.strings.count)
            columns.strings.append(text)
            ids[text] = new
            return new
        }
        for row in rows {
            columns.instanceType.append(id(row.instanceType))
            columns.acceleratorName.append(id(row.acceleratorName))
            columns.gpuInfo.append(id(row.gpuInfo))
            columns.region.append(id(row.region))
            columns.zone.append(id(row.zone))
            columns.acceleratorCount.append(row.acceleratorCount ?? .nan)
            columns.cpus.append(row.cpus ?? .nan)
            columns.memory.append(row.memoryGiB ?? .nan)
            columns.price.append(row.price ?? .nan)
            columns.spotPrice.append(row.spotPrice ?? .nan)
        }
        columns.hasZones = hasZones
        self.init(cloud: cloud, columns: columns, source: source)
    }

    /// A catalog of freshly parsed columns.
    convenience init(cloud: String, columns: CatalogColumns, source: CatalogSource) {
        self.init(cloud: cloud, table: CatalogTable(columns: columns), source: source)
    }

    /// Number of rows.
    package var count: Int { table.count }

    /// One row.
    package func row(_ index: Int) -> CatalogRow { table.row(index) }

    /// All rows in file order (builds every row; prefer the indexed queries).
    package var rows: [CatalogRow] { (0..<table.count).map(table.row) }

    /// Rows of one instance type (exact, case-sensitive, like SkyPilot).
    package func rows(instanceType: String) -> [CatalogRow] {
        table.rows(.instanceType, instanceType).map(table.row)
    }

    /// Rows of every instance type accepted by `include` (each type tested once).
    package func rows(instanceTypesWhere include: (String) -> Bool) -> [CatalogRow] {
        var indexes: [Int] = []
        for type in table.index(.instanceType).keys where include(type) {
            indexes += table.rows(.instanceType, type)
        }
        return indexes.sorted().map(table.row)
    }

    /// Rows offering an accelerator (case-insensitive name match).
    package func rows(accelerator: String) -> [CatalogRow] {
        table.rows(.accelerator, accelerator.lowercased()).map(table.row)
    }

    /// Rows of every accelerator (rows with an accelerator name), in file order.
    package var acceleratorRows: [CatalogRow] {
        table.index(.accelerator).keys.flatMap { table.rows(.accelerator, $0) }.sorted().map(
            table.row)
    }

    /// Rows of a region (case-insensitive).
    package func rows(region: String) -> [CatalogRow] {
        table.rows(.region, region.lowercased()).map(table.row)
    }

    package func instanceTypeExists(_ instanceType: String) -> Bool {
        table.index(.instanceType).groups[instanceType] != nil
    }

    package var instanceTypes: [String] { table.index(.instanceType).keys }

    /// Canonical accelerator names offered by this catalog.
    package var acceleratorNames: [String] {
        table.index(.accelerator).keys.compactMap { key in
            table.firstRow(.accelerator, key).flatMap { table.text(.acceleratorName, $0) }
        }.sorted()
    }

    /// vCPUs and memory of an instance type (first row), nil when unknown.
    package func cpusMemory(instanceType: String) -> (cpus: Double?, memoryGiB: Double?)? {
        guard let first = table.firstRow(.instanceType, instanceType) else { return nil }
        return (table.number(.cpus, first), table.number(.memory, first))
    }

    /// The accelerator built into an instance type, per the catalog row (not GCP's a2/g2/a3
    /// mapping, see `GCPCatalogRules`).
    package func accelerator(instanceType: String) -> (name: String, count: Double)? {
        guard let first = table.firstRow(.instanceType, instanceType),
            let name = table.text(.acceleratorName, first),
            let count = table.number(.acceleratorCount, first)
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
        var seen = Set<Int32>()
        for row in 0..<table.count { seen.insert(table.id(.zone, row)) }
        return Set(
            seen.compactMap {
                $0 >= 0 && Int($0) < table.strings.count ? table.strings[Int($0)] : nil
            }
        ).sorted()
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
