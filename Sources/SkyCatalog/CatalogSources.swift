import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `<sky home>/catalogs/v8/sources.json`: for each file `sky catalog update` downloaded, the URL,
/// the time and the row count. Only `sky catalog status` reads it; the loaders never do.
package struct CatalogSources: Sendable {
    package struct Entry: Sendable, Equatable {
        package var url: String
        package var fetchedAt: Double
        package var rows: Int
    }

    package var entries: [String: Entry] = [:]

    static func path(_ cacheDirectory: String) -> String { cacheDirectory + "/sources.json" }

    package static func read(cacheDirectory: String) -> CatalogSources {
        var sources = CatalogSources()
        guard let data = FileManager.default.contents(atPath: path(cacheDirectory)),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return sources }
        for (file, value) in object {
            guard let fields = value as? [String: Any], let url = fields["url"] as? String else {
                continue
            }
            sources.entries[file] = Entry(
                url: url, fetchedAt: (fields["fetched_at"] as? NSNumber)?.doubleValue ?? 0,
                rows: (fields["rows"] as? NSNumber)?.intValue ?? 0)
        }
        return sources
    }

    /// Writes through a temporary file and a rename; a failure only loses the status details.
    func write(cacheDirectory: String) {
        var object: [String: Any] = [:]
        for (file, entry) in entries {
            object[file] = ["url": entry.url, "fetched_at": entry.fetchedAt, "rows": entry.rows]
        }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        else { return }
        let target = Self.path(cacheDirectory)
        let temporary = target + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        if rename(temporary, target) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }
}
