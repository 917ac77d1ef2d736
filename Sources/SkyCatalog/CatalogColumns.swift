import Foundation

/// The columns of one `vms.csv` as parsed (strings interned once, numbers as Doubles, NaN =
/// missing), before they are laid out as a `CatalogTable` image (`CatalogColumns+Image`).
struct CatalogColumns: Sendable {
    var strings: [String] = []
    var instanceType: [Int32] = []
    var acceleratorName: [Int32] = []
    var gpuInfo: [Int32] = []
    var region: [Int32] = []
    var zone: [Int32] = []
    var acceleratorCount: [Double] = []
    var cpus: [Double] = []
    var memory: [Double] = []
    var price: [Double] = []
    var spotPrice: [Double] = []
    var hasZones = false

    var count: Int { region.count }

    // MARK: CSV

    static func parse(csv data: Data, path: String) throws -> CatalogColumns {
        let scanner = CSVScanner(data: data)
        var table = CatalogColumns()
        var interner = ByteInterner()
        var columns: [String: Int] = [:]
        var header = true
        var c = [Int](repeating: Int.max, count: 10)
        let names = [
            "InstanceType", "AcceleratorName", "GpuInfo", "Region", "AvailabilityZone",
            "AcceleratorCount", "vCPUs", "MemoryGiB", "Price", "SpotPrice",
        ]
        let estimate = data.count / 70
        for column in [\CatalogColumns.acceleratorCount, \.cpus, \.memory, \.price, \.spotPrice] {
            table[keyPath: column].reserveCapacity(estimate)
        }
        scanner.forEachRecord { record in
            if header {
                for index in 0..<record.count { columns[record.string(index)] = index }
                c = names.map { columns[$0] ?? Int.max }
                header = false
                return
            }
            func id(_ field: Int) -> Int32 {
                if record.isEmpty(field) { return -1 }
                if record.escaped[field] { return interner.id(of: record.string(field)) }
                return interner.id(record.bytes(field))
            }
            table.instanceType.append(id(c[0]))
            table.acceleratorName.append(id(c[1]))
            table.gpuInfo.append(id(c[2]))
            table.region.append(id(c[3]))
            table.zone.append(id(c[4]))
            table.acceleratorCount.append(record.double(c[5]) ?? .nan)
            table.cpus.append(record.double(c[6]) ?? .nan)
            table.memory.append(record.double(c[7]) ?? .nan)
            table.price.append(record.double(c[8]) ?? .nan)
            table.spotPrice.append(record.double(c[9]) ?? .nan)
        }
        guard columns["InstanceType"] != nil, columns["Region"] != nil else {
            throw CatalogError.badFormat(
                path: path, reason: "the header lacks InstanceType or Region")
        }
        table.strings = interner.strings
        table.hasZones = columns["AvailabilityZone"] != nil
        return table
    }
}
