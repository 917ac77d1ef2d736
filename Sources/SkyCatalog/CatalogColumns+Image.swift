import Foundation

/// The compact binary image of a catalog (`<cache dir>/.compact/<cloud>-<hash>.bin`), laid out
/// so that `CatalogTable` can use it in place from a read-only memory map, without copying or
/// per-row work at load time:
///
///     "SKYCAT02"  rows:u32  strings:u32  hasZones:u32  reserved:u32
///     string end offsets: u32 x strings, then the UTF-8 bytes, padded to 8
///     f64 columns x rows: acceleratorCount, cpus, memory, price, spotPrice (NaN = missing)
///     i32 columns x rows: instanceType, acceleratorName, gpuInfo, region, zone (string ids, -1 = empty)
///     3 indexes (instance type exact; accelerator and region lower-cased), each:
///         groups:u32  rows:u32  groups x (key string id:i32, start:i32, count:i32)  rows x row:i32
///
/// Every index lists the rows of each key in file order.
extension CatalogColumns {
    static let imageMagic = Array("SKYCAT02".utf8)

    /// One index: for each key (a string id), the rows carrying it, in file order.
    struct ImageIndex {
        var groups: [(key: Int32, start: Int32, count: Int32)] = []
        var order: [Int32] = []
    }

    func image() -> Data {
        var strings = self.strings
        var lowerIDs: [String: Int32] = [:]
        for (id, text) in strings.enumerated() where lowerIDs[text] == nil {
            lowerIDs[text] = Int32(id)
        }
        func lowerKey(_ id: Int32) -> Int32 {
            let lower = strings[Int(id)].lowercased()
            if let found = lowerIDs[lower] { return found }
            let new = Int32(strings.count)
            strings.append(lower)
            lowerIDs[lower] = new
            return new
        }
        let indexes = [
            Self.index(instanceType, stringCount: self.strings.count, key: { $0 }),
            Self.index(acceleratorName, stringCount: self.strings.count, key: lowerKey),
            Self.index(region, stringCount: self.strings.count, key: lowerKey),
        ]

        var data = Data(Self.imageMagic)
        func put<T>(_ value: T) { withUnsafeBytes(of: value) { data.append(contentsOf: $0) } }
        func putArray<T>(_ array: [T]) { array.withUnsafeBytes { data.append(contentsOf: $0) } }
        put(UInt32(count))
        put(UInt32(strings.count))
        put(UInt32(hasZones ? 1 : 0))
        put(UInt32(0))
        var end: UInt32 = 0
        var bytes: [UInt8] = []
        var ends: [UInt32] = []
        for string in strings {
            bytes += Array(string.utf8)
            end = UInt32(bytes.count)
            ends.append(end)
        }
        putArray(ends)
        putArray(bytes)
        while data.count % 8 != 0 { data.append(0) }
        for column in [acceleratorCount, cpus, memory, price, spotPrice] { putArray(column) }
        for column in [instanceType, acceleratorName, gpuInfo, region, zone] { putArray(column) }
        for index in indexes {
            put(UInt32(index.groups.count))
            put(UInt32(index.order.count))
            for group in index.groups {
                put(group.key)
                put(group.start)
                put(group.count)
            }
            putArray(index.order)
        }
        return data
    }

    /// Groups the rows of `column` by `key(string id)` with a counting sort (ids are dense):
    /// keys in order of first appearance of their id, rows ascending. Rows whose ids share a key
    /// (case-insensitive merge) are merged and re-sorted.
    static func index(_ column: [Int32], stringCount: Int, key: (Int32) -> Int32) -> ImageIndex {
        var counts = [Int](repeating: 0, count: stringCount)
        for id in column where id >= 0 { counts[Int(id)] += 1 }
        var starts = [Int](repeating: 0, count: stringCount + 1)
        for i in 0..<stringCount { starts[i + 1] = starts[i] + counts[i] }
        var fill = starts
        var order = [Int32](repeating: 0, count: starts[stringCount])
        for (row, id) in column.enumerated() where id >= 0 {
            order[fill[Int(id)]] = Int32(row)
            fill[Int(id)] += 1
        }
        var byKey: [Int32: [Int32]] = [:]
        var keys: [Int32] = []
        for id in 0..<stringCount where counts[id] > 0 {
            let k = key(Int32(id))
            let rows = order[starts[id]..<starts[id + 1]]
            if byKey[k] == nil {
                keys.append(k)
                byKey[k] = Array(rows)
            } else {
                byKey[k]?.append(contentsOf: rows)
                byKey[k]?.sort()
            }
        }
        var index = ImageIndex()
        for k in keys {
            let rows = byKey[k] ?? []
            index.groups.append((k, Int32(index.order.count), Int32(rows.count)))
            index.order += rows
        }
        return index
    }
}
