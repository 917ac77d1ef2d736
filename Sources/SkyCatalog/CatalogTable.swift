import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A catalog image (see `CatalogColumns+Image`) used in place: a read-only memory map of the
/// compact cache file, or a buffer for a catalog parsed in this process. Opening it reads the
/// header, the strings and the index keys; rows are read only when a query touches them.
/// Immutable after `init`, hence `@unchecked Sendable`. Every read is bounds-checked, so a
/// damaged image gives wrong rows rather than a crash (it is rebuilt when its source changes).
final class CatalogTable: @unchecked Sendable {
    enum IntColumn: Int { case instanceType, acceleratorName, gpuInfo, region, zone }
    enum NumberColumn: Int { case acceleratorCount, cpus, memory, price, spotPrice }
    enum IndexKind: Int { case instanceType, accelerator, region }

    /// Rows per key of one index.
    struct Index {
        /// Key -> (start, count) in `order`.
        let groups: [String: (start: Int, count: Int)]
        /// Keys in image order (first appearance of their string id).
        let keys: [String]
        let order: UnsafeBufferPointer<Int32>
    }

    let count: Int
    let hasZones: Bool
    let strings: [String]
    let indexes: [Index]
    private let numbers: UnsafeBufferPointer<Double>
    private let ids: UnsafeBufferPointer<Int32>
    private let release: () -> Void

    deinit { release() }

    /// Opens an image held in memory (copied into an aligned buffer).
    convenience init?(image: Data) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: max(image.count, 1), alignment: 16)
        image.withUnsafeBytes { buffer.copyMemory(from: $0) }
        let base = UnsafeRawBufferPointer(rebasing: buffer[0..<image.count])
        self.init(raw: base, release: { buffer.deallocate() })
    }

    /// The table of freshly parsed columns (an image this process lays out always opens; were
    /// it not to, the table is empty rather than a crash).
    convenience init(columns: CatalogColumns) {
        if let table = CatalogTable(image: columns.image()) {
            self.init(sharing: table)
        } else {
            self.init(sharing: nil)
        }
    }

    /// A second reference to `other`'s image (or an empty table for nil).
    private init(sharing other: CatalogTable?) {
        count = other?.count ?? 0
        hasZones = other?.hasZones ?? false
        strings = other?.strings ?? []
        let emptyIndex = Index(
            groups: [:], keys: [], order: UnsafeBufferPointer(start: nil, count: 0))
        indexes = other?.indexes ?? [emptyIndex, emptyIndex, emptyIndex]
        numbers = other?.numbers ?? UnsafeBufferPointer(start: nil, count: 0)
        ids = other?.ids ?? UnsafeBufferPointer(start: nil, count: 0)
        // Keeps `other` (the owner of the memory) alive as long as this table.
        release = { withExtendedLifetime(other) {} }
    }

    /// Maps the image file at `path`; nil when it cannot be read or is not a valid image.
    convenience init?(mappingFile path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED
        else {
            return nil
        }
        let raw = UnsafeRawBufferPointer(start: address, count: size)
        let bits = UInt(bitPattern: address)
        self.init(
            raw: raw, release: { _ = munmap(UnsafeMutableRawPointer(bitPattern: bits), size) })
    }

    private init?(raw: UnsafeRawBufferPointer, release: @escaping () -> Void) {
        var reader = Reader(raw: raw)
        guard let magic = reader.take(8), Array(magic) == CatalogColumns.imageMagic,
            let rows = reader.u32(), let stringCount = reader.u32(), let zones = reader.u32(),
            reader.u32() != nil, let ends = reader.array(UInt32.self, stringCount)
        else {
            release()
            return nil
        }
        let byteCount = Int(ends.last ?? 0)
        guard let bytes = reader.take(byteCount), reader.align(8),
            let numbers = reader.array(Double.self, rows * 5),
            let ids = reader.array(Int32.self, rows * 5)
        else {
            release()
            return nil
        }
        var strings: [String] = []
        strings.reserveCapacity(stringCount)
        var start = 0
        for end in ends {
            let stop = Int(end)
            guard stop >= start, stop <= byteCount else {
                release()
                return nil
            }
            let from = bytes.startIndex + start
            let to = bytes.startIndex + stop
            strings.append(
                String(decoding: UnsafeRawBufferPointer(rebasing: raw[from..<to]), as: UTF8.self))
            start = stop
        }
        var indexes: [Index] = []
        for _ in 0..<3 {
            guard let groupCount = reader.u32(), let orderCount = reader.u32(),
                let groups = reader.array(Int32.self, groupCount * 3),
                let order = reader.array(Int32.self, orderCount)
            else {
                release()
                return nil
            }
            var map: [String: (Int, Int)] = [:]
            map.reserveCapacity(groupCount)
            var keys: [String] = []
            keys.reserveCapacity(groupCount)
            for g in 0..<groupCount {
                let key = Int(groups[3 * g])
                let first = Int(groups[3 * g + 1])
                let n = Int(groups[3 * g + 2])
                guard key >= 0, key < stringCount, first >= 0, n >= 0, first + n <= orderCount
                else {
                    release()
                    return nil
                }
                map[strings[key]] = (first, n)
                keys.append(strings[key])
            }
            indexes.append(Index(groups: map, keys: keys, order: order))
        }
        guard reader.offset == raw.count else {
            release()
            return nil
        }
        self.count = rows
        self.hasZones = zones == 1
        self.strings = strings
        self.indexes = indexes
        self.numbers = numbers
        self.ids = ids
        self.release = release
    }

    // MARK: Reads

    func id(_ column: IntColumn, _ row: Int) -> Int32 { ids[column.rawValue * count + row] }

    func text(_ column: IntColumn, _ row: Int) -> String? {
        let id = Int(self.id(column, row))
        return id >= 0 && id < strings.count ? strings[id] : nil
    }

    func number(_ column: NumberColumn, _ row: Int) -> Double? {
        let value = numbers[column.rawValue * count + row]
        return value.isNaN ? nil : value
    }

    func row(_ i: Int) -> CatalogRow {
        CatalogRow(
            instanceType: text(.instanceType, i) ?? "", acceleratorName: text(.acceleratorName, i),
            acceleratorCount: number(.acceleratorCount, i), cpus: number(.cpus, i),
            memoryGiB: number(.memory, i), gpuInfo: text(.gpuInfo, i),
            price: number(.price, i), spotPrice: number(.spotPrice, i),
            region: text(.region, i) ?? "", zone: text(.zone, i))
    }

    func index(_ kind: IndexKind) -> Index { indexes[kind.rawValue] }

    /// Row numbers of `key` in an index (file order); empty when absent.
    func rows(_ kind: IndexKind, _ key: String) -> [Int] {
        let index = indexes[kind.rawValue]
        guard let group = index.groups[key] else { return [] }
        return (group.start..<(group.start + group.count)).compactMap { slot in
            let row = Int(index.order[slot])
            return row >= 0 && row < count ? row : nil
        }
    }

    /// The first row of `key` in an index.
    func firstRow(_ kind: IndexKind, _ key: String) -> Int? {
        let index = indexes[kind.rawValue]
        guard let group = index.groups[key], group.count > 0 else { return nil }
        let row = Int(index.order[group.start])
        return row >= 0 && row < count ? row : nil
    }

    /// Sequential reader of the image.
    private struct Reader {
        let raw: UnsafeRawBufferPointer
        var offset = 0

        mutating func take(_ n: Int) -> UnsafeRawBufferPointer.SubSequence? {
            guard n >= 0, offset + n <= raw.count else { return nil }
            defer { offset += n }
            return raw[offset..<(offset + n)]
        }

        mutating func u32() -> Int? {
            take(4).map { Int(UnsafeRawBufferPointer(rebasing: $0).loadUnaligned(as: UInt32.self)) }
        }

        mutating func align(_ n: Int) -> Bool {
            offset = (offset + n - 1) / n * n
            return offset <= raw.count
        }

        /// `n` values of `T` in place; the image keeps them aligned.
        mutating func array<T>(_ type: T.Type, _ n: Int) -> UnsafeBufferPointer<T>? {
            guard offset % MemoryLayout<T>.alignment == 0,
                let slice = take(n * MemoryLayout<T>.stride),
                let base = raw.baseAddress
            else { return nil }
            let start = (base + slice.startIndex).assumingMemoryBound(to: T.self)
            return UnsafeBufferPointer(start: n == 0 ? nil : start, count: n)
        }
    }
}
