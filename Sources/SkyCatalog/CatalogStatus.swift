import Foundation
import SkyCore

/// `sky catalog status`: for each catalog cloud (and the common files) which copy is in use,
/// how old it is and how many rows it has.
package struct CatalogStatus: Sendable {
    package enum Origin: String, Sendable {
        case cached
        case bundled
        case missing
    }

    package struct Entry: Sendable {
        package let file: CatalogFile
        package let origin: Origin
        package let path: String?
        /// Download (or copy) time of a cached file; the snapshot date of a bundled one.
        package let updatedAt: Date?
        package let rows: Int?
        /// Where a cached file was downloaded from (`sources.json`), when known.
        package let url: String?
        /// Why the file is not usable or a cached copy is ignored.
        package let note: String?

        package var name: String { file.cloud ?? file.relativePath }
    }

    package let entries: [Entry]
    package let now: Date

    package init(store: CatalogStore, now: Date = Date()) {
        self.now = now
        let sources = CatalogSources.read(cacheDirectory: store.cacheDirectory)
        let files =
            CatalogStore.catalogClouds.map { CatalogFile.vms($0) } + [
                CatalogFile.accelerators, .metadata,
            ]
        entries = files.map { file in
            let copies = store.copies(of: file.relativePath)
            guard let source = store.locate(file.relativePath) else {
                let hint =
                    file.cloud.map { "not downloaded yet: sky catalog update \($0)" } ?? "missing"
                return Entry(
                    file: file, origin: .missing, path: nil, updatedAt: nil, rows: nil, url: nil,
                    note: hint)
            }
            var note: String?
            if source.bundled, let stale = copies.cached {
                note =
                    "cached copy ignored: older than the bundled snapshot ("
                    + Self.day(stale.modified ?? .distantPast) + ")"
            }
            var rows: Int?
            if let cloud = file.cloud {
                do {
                    rows = try store.catalog(for: cloud)?.count
                } catch {
                    note = "\(error)"
                }
            } else {
                rows = Self.lineCount(source.path).map { max($0 - 1, 0) }
            }
            return Entry(
                file: file, origin: source.bundled ? .bundled : .cached, path: source.path,
                updatedAt: source.bundled ? CatalogStore.bundledSnapshot : source.modified,
                rows: rows,
                url: source.bundled ? nil : sources.entries[file.relativePath]?.url, note: note)
        }
    }

    /// Seconds since the copy in use was taken, nil when there is none.
    package func age(_ entry: Entry) -> Double? {
        entry.updatedAt.map { max(now.timeIntervalSince($0), 0) }
    }

    package var json: JSONValue {
        .array(
            entries.map { entry in
                var fields: [(String, JSONValue)] = [
                    ("cloud", entry.file.cloud.map(JSONValue.string) ?? .null),
                    ("file", .string(entry.file.relativePath)),
                    ("source", .string(entry.origin.rawValue)),
                    ("path", entry.path.map(JSONValue.string) ?? .null),
                    ("updated_at", entry.updatedAt.map { .string(Self.iso($0)) } ?? .null),
                    ("age_seconds", age(entry).map { .int(Int($0)) } ?? .null),
                    ("rows", entry.rows.map(JSONValue.int) ?? .null),
                    ("url", entry.url.map(JSONValue.string) ?? .null),
                ]
                if let note = entry.note { fields.append(("note", .string(note))) }
                return .object(fields)
            })
    }

    /// The table: CATALOG, SOURCE, AGE, UPDATED, ROWS, then where it came from or a note.
    package var table: String {
        var rows = [["CATALOG", "SOURCE", "AGE", "UPDATED", "ROWS", "DETAILS"]]
        for entry in entries {
            let details =
                entry.note ?? entry.url
                ?? (entry.origin == .bundled ? "bundled with Sky" : entry.path ?? "")
            rows.append([
                entry.name, entry.origin == .missing ? "-" : entry.origin.rawValue,
                age(entry).map(Self.shortAge) ?? "-", entry.updatedAt.map(Self.minute) ?? "-",
                entry.rows.map(String.init) ?? "-", details,
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, text in
                column == row.count - 1
                    ? text : text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// `45s`, `12m`, `5h`, `189d`.
    static func shortAge(_ seconds: Double) -> String {
        switch seconds {
        case ..<60: "\(Int(seconds))s"
        case ..<3600: "\(Int(seconds / 60))m"
        case ..<86400: "\(Int(seconds / 3600))h"
        default: "\(Int(seconds / 86400))d"
        }
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func minute(_ date: Date) -> String { format(date, "yyyy-MM-dd HH:mm") }

    static func day(_ date: Date) -> String { format(date, "yyyy-MM-dd") }

    private static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    private static func lineCount(_ path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var lines = data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        if let last = data.last, last != UInt8(ascii: "\n") { lines += 1 }
        return lines
    }
}
