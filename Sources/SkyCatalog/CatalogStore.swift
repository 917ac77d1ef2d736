import Foundation
import Synchronization

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

    /// Where `relative` (e.g. `gcp/vms.csv`) would be read from, without reading it.
    package func locate(_ relative: String) -> CatalogSource? {
        let fm = FileManager.default
        let override = cacheDirectory + "/" + relative
        if fm.fileExists(atPath: override) {
            return CatalogSource(path: override, bundled: false, modified: modified(override))
        }
        for dir in Self.bundledDirectories {
            let path = dir + "/" + relative
            if fm.fileExists(atPath: path) {
                return CatalogSource(path: path, bundled: true, modified: modified(path))
            }
        }
        return nil
    }

    private func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
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
        CloudCatalog(cloud: cloud, table: try CatalogTable.parse(csv: data, path: source.path), source: source)
    }

    /// Loads `source` through the compact binary cache (`<cache dir>/.compact/`), creating the
    /// cache entry on a miss. A cache that cannot be read or written is simply bypassed.
    func load(cloud: String, source: CatalogSource) throws -> CloudCatalog {
        let attributes = try? FileManager.default.attributesOfItem(atPath: source.path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let stamp = Int((source.modified?.timeIntervalSince1970 ?? 0) * 1000)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(source.path)|\(size)|\(stamp)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let dir = cacheDirectory + "/.compact"
        let cachePath = dir + "/\(cloud)-\(String(hash, radix: 16)).bin"
        if let data = try? Data(contentsOf: URL(fileURLWithPath: cachePath), options: .alwaysMapped),
            let table = CatalogTable.decode(data)
        {
            return CloudCatalog(cloud: cloud, table: table, source: source)
        }
        let catalog = try Self.parse(cloud: cloud, source: source)
        if (try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)) != nil {
            let temporary = cachePath + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
            if FileManager.default.createFile(atPath: temporary, contents: catalog.table.encoded()) {
                _ = try? FileManager.default.removeItem(atPath: cachePath)
                if (try? FileManager.default.moveItem(atPath: temporary, toPath: cachePath)) == nil {
                    try? FileManager.default.removeItem(atPath: temporary)
                }
            }
        }
        return catalog
    }
}
