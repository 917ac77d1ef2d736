import Foundation

/// Column storage of one `vms.csv`: strings interned once, numbers as Doubles (NaN = missing).
/// Cheap to load from the compact binary cache and cheap to scan.
struct CatalogTable: Sendable {
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

    func text(_ id: Int32) -> String? { id < 0 ? nil : strings[Int(id)] }

    static func value(_ number: Double) -> Double? { number.isNaN ? nil : number }

    func row(_ i: Int) -> CatalogRow {
        CatalogRow(
            instanceType: text(instanceType[i]) ?? "", acceleratorName: text(acceleratorName[i]),
            acceleratorCount: Self.value(acceleratorCount[i]), cpus: Self.value(cpus[i]),
            memoryGiB: Self.value(memory[i]), gpuInfo: text(gpuInfo[i]),
            price: Self.value(price[i]), spotPrice: Self.value(spotPrice[i]),
            region: text(region[i]) ?? "", zone: text(zone[i]))
    }

    // MARK: CSV

    static func parse(csv data: Data, path: String) throws -> CatalogTable {
        let scanner = CSVScanner(data: data)
        var table = CatalogTable()
        var interner = ByteInterner()
        var columns: [String: Int] = [:]
        var header = true
        var c = [Int](repeating: Int.max, count: 10)
        let names = [
            "InstanceType", "AcceleratorName", "GpuInfo", "Region", "AvailabilityZone",
            "AcceleratorCount", "vCPUs", "MemoryGiB", "Price", "SpotPrice",
        ]
        let estimate = data.count / 70
        for column in [\CatalogTable.acceleratorCount, \.cpus, \.memory, \.price, \.spotPrice] {
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
            throw CatalogError.badFormat(path: path, reason: "the header lacks InstanceType or Region")
        }
        table.strings = interner.strings
        table.hasZones = columns["AvailabilityZone"] != nil
        return table
    }

    // MARK: Compact binary form

    private static let magic = Array("SKYCAT01".utf8)

    func encoded() -> Data {
        var data = Data(Self.magic)
        func put<T>(_ value: T) { withUnsafeBytes(of: value) { data.append(contentsOf: $0) } }
        func putArray<T>(_ array: [T]) { array.withUnsafeBytes { data.append(contentsOf: $0) } }
        put(UInt32(count))
        put(UInt32(strings.count))
        put(UInt8(hasZones ? 1 : 0))
        for string in strings {
            let bytes = Array(string.utf8)
            put(UInt32(bytes.count))
            data.append(contentsOf: bytes)
        }
        for column in [instanceType, acceleratorName, gpuInfo, region, zone] { putArray(column) }
        for column in [acceleratorCount, cpus, memory, price, spotPrice] { putArray(column) }
        return data
    }

    static func decode(_ data: Data) -> CatalogTable? {
        data.withUnsafeBytes { raw -> CatalogTable? in
            var offset = 0
            func take(_ n: Int) -> UnsafeRawBufferPointer? {
                guard offset + n <= raw.count else { return nil }
                defer { offset += n }
                return UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)])
            }
            guard let head = take(magic.count), Array(head) == magic,
                let rowsRaw = take(4), let stringsRaw = take(4), let zonesRaw = take(1)
            else { return nil }
            let rows = Int(rowsRaw.loadUnaligned(as: UInt32.self))
            let stringCount = Int(stringsRaw.loadUnaligned(as: UInt32.self))
            var table = CatalogTable()
            table.hasZones = zonesRaw[0] == 1
            table.strings.reserveCapacity(stringCount)
            for _ in 0..<stringCount {
                guard let lengthRaw = take(4) else { return nil }
                let length = Int(lengthRaw.loadUnaligned(as: UInt32.self))
                guard let bytes = take(length) else { return nil }
                table.strings.append(String(decoding: bytes, as: UTF8.self))
            }
            func array<T>(_ type: T.Type) -> [T]? {
                guard let bytes = take(rows * MemoryLayout<T>.stride) else { return nil }
                return [T](unsafeUninitializedCapacity: rows) { buffer, initialized in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
                    initialized = rows
                }
            }
            guard let a = array(Int32.self), let b = array(Int32.self), let g = array(Int32.self),
                let r = array(Int32.self), let z = array(Int32.self),
                let n = array(Double.self), let cpu = array(Double.self), let m = array(Double.self),
                let p = array(Double.self), let s = array(Double.self), offset == raw.count
            else { return nil }
            table.instanceType = a
            table.acceleratorName = b
            table.gpuInfo = g
            table.region = r
            table.zone = z
            table.acceleratorCount = n
            table.cpus = cpu
            table.memory = m
            table.price = p
            table.spotPrice = s
            let limit = Int32(stringCount)
            for column in [a, b, g, r, z] where column.contains(where: { $0 >= limit }) { return nil }
            return table
        }
    }
}
