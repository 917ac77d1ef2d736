import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds and loads catalogs: `<sky home>/catalogs/v8/<cloud>/vms.csv` when present (a refreshed
/// copy), otherwise the copy bundled with Sky. Each file is parsed at most once per process and
/// only when a caller asks for that cloud.
package struct CatalogStore: Sendable {
    /// Schema version of the catalog layout.
    package static let schemaVersion = "v8"
    /// Clouds whose catalog ships with Sky.
    package static let bundledClouds = ["azure", "gcp", "lambda"]
    /// Clouds whose `vms.csv` format Sky understands (a copy can be dropped into the cache dir).
    package static let catalogClouds = ["aws", "azure", "gcp", "lambda", "runpod"]

    /// `$SKY_HOME` (default `~/.sky`).
    package let home: String

    package init(home: String) {
        self.home = home
    }

    /// The user-level cache directory, `<home>/catalogs/v8`.
    package var cacheDirectory: String { home + "/catalogs/" + Self.schemaVersion }

    private static let loaded = Mutex<[String: CloudCatalog]>([:])
    private static let common = Mutex<[String: AcceleratorRegistry]>([:])

    /// The catalog of `cloud`, or nil when neither a cached nor a bundled copy exists.
    package func catalog(for cloud: String) throws -> CloudCatalog? {
        let cloud = cloud.lowercased()
        guard let source = locate(cloud + "/vms.csv") else { return nil }
        let key = source.path + "|" + String(source.modified?.timeIntervalSince1970 ?? 0)
        if let hit = Self.loaded.withLock({ $0[key] }) { return hit }
        let catalog = try load(cloud: cloud, source: source)
        Self.loaded.withLock { $0[key] = catalog }
        return catalog
    }

    /// The catalog of `cloud` read from disk now (the compact image, else the CSV), bypassing
    /// this process's cache: what a new `sky` process would get.
    package func loadFromDisk(cloud: String) throws -> CloudCatalog? {
        let cloud = cloud.lowercased()
        guard let source = locate(cloud + "/vms.csv") else { return nil }
        return try load(cloud: cloud, source: source)
    }

    /// Accelerator names and device memories (`common/accelerators.csv`, `common/metadata.csv`).
    package func accelerators() throws -> AcceleratorRegistry {
        guard let names = locate("common/accelerators.csv") else {
            throw CatalogError.missingFile("common/accelerators.csv")
        }
        let metadata = locate("common/metadata.csv")
        let key = names.path + "|" + (metadata?.path ?? "")
        if let hit = Self.common.withLock({ $0[key] }) { return hit }
        let registry = try AcceleratorRegistry(
            acceleratorsCSV: Data(contentsOf: URL(fileURLWithPath: names.path)),
            metadataCSV: metadata.map { try Data(contentsOf: URL(fileURLWithPath: $0.path)) })
        Self.common.withLock { $0[key] = registry }
        return registry
    }

    /// Where `relative` (e.g. `gcp/vms.csv`) would be read from, without reading it: the cached
    /// copy when it is fresh (see `isFresh`), else the bundled one, else a stale cached one.
    package func locate(_ relative: String) -> CatalogSource? {
        let copies = self.copies(of: relative)
        if let cached = copies.cached, copies.bundled == nil || Self.isFresh(cached) {
            return cached
        }
        return copies.bundled ?? copies.cached
    }

    /// Both copies of `relative`: the one in the cache directory and the bundled one.
    package func copies(of relative: String) -> (cached: CatalogSource?, bundled: CatalogSource?) {
        let override = cacheDirectory + "/" + relative
        var cached: CatalogSource?
        if let modified = Self.modification(of: override) {
            cached = CatalogSource(path: override, bundled: false, modified: modified)
        }
        var bundled: CatalogSource?
        for dir in Self.bundledDirectories {
            let path = dir + "/" + relative
            if let modified = Self.modification(of: path) {
                bundled = CatalogSource(path: path, bundled: true, modified: modified)
                break
            }
        }
        return (cached, bundled)
    }

    /// The modification time of a regular file, nil when there is none (one `stat`).
    static func modification(of path: String) -> Date? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Date(
            timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
    }

    /// When the catalogs bundled with Sky were taken from the catalog repository (see
    /// ../shared/catalogs/NOTE.md: anycloud-sh/catalog at 62ff0a987e0c, 2026-05-20).
    package static let bundledSnapshot = Date(timeIntervalSince1970: 1_779_235_200)

    /// A cached copy written (downloaded or copied in) after the bundled snapshot was taken is
    /// preferred over the bundled copy; an older one is not (a Sky upgrade brings newer prices).
    package static func isFresh(_ cached: CatalogSource) -> Bool {
        guard let modified = cached.modified else { return false }
        return modified >= bundledSnapshot
    }

    /// Candidate locations of the bundled `catalogs` folder: next to the executable (installed
    /// layout), then SwiftPM's resource bundle.
    private static let bundledDirectories: [String] = {
        var dirs: [String] = []
        let exe = Bundle.main.bundleURL
        for name in ["Sky_SkyCatalog.resources", "Sky_SkyCatalog.bundle"] {
            let dir = exe.appendingPathComponent(name)
            for sub in ["catalogs", "Contents/Resources/catalogs"] {
                let path = dir.appendingPathComponent(sub).path
                if FileManager.default.fileExists(atPath: path) { dirs.append(path) }
            }
        }
        if dirs.isEmpty, let url = Bundle.module.url(forResource: "catalogs", withExtension: nil) {
            dirs.append(url.path)
        }
        return dirs
    }()

    static func parse(cloud: String, source: CatalogSource) throws -> CloudCatalog {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: source.path))
        } catch {
            throw CatalogError.unreadable(path: source.path, reason: "\(error)")
        }
        return try parse(cloud: cloud, data: data, source: source)
    }

    static func parse(cloud: String, data: Data, source: CatalogSource) throws -> CloudCatalog {
        try CloudCatalog(
            cloud: cloud, columns: CatalogColumns.parse(csv: data, path: source.path),
            source: source)
    }

    /// Loads `source` through the compact binary cache (`<cache dir>/.compact/`, a catalog
    /// image used in place through a memory map), creating the cache entry on a miss. A cache
    /// that cannot be read or written is simply bypassed.
    func load(cloud: String, source: CatalogSource) throws -> CloudCatalog {
        var info = stat()
        let size = stat(source.path, &info) == 0 ? Int(info.st_size) : 0
        let stamp = Int((source.modified?.timeIntervalSince1970 ?? 0) * 1000)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(source.path)|\(size)|\(stamp)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let dir = cacheDirectory + "/.compact"
        let cachePath = dir + "/\(cloud)-\(String(hash, radix: 16)).v2.bin"
        if let table = CatalogTable(mappingFile: cachePath) {
            return CloudCatalog(cloud: cloud, table: table, source: source)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: source.path))
        } catch {
            throw CatalogError.unreadable(path: source.path, reason: "\(error)")
        }
        let image = try CatalogColumns.parse(csv: data, path: source.path).image()
        let table = CatalogTable(image: image)
        if table != nil,
            (try? FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true)) != nil
        {
            let temporary = cachePath + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
            if FileManager.default.createFile(atPath: temporary, contents: image) {
                if rename(temporary, cachePath) != 0 {
                    try? FileManager.default.removeItem(atPath: temporary)
                }
            }
        }
        guard let table else {
            throw CatalogError.badFormat(
                path: source.path, reason: "its rows could not be laid out")
        }
        return CloudCatalog(cloud: cloud, table: table, source: source)
    }
}
