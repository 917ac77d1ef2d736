import Foundation
import SkyCatalog
import SkyCore
import SkyOptimizer

/// Reads the bundled catalog CSVs independently of SkyCatalog (a plain quote-aware split), so
/// tests compare the optimizer's answers with prices taken straight from the rows.
enum CatalogFixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/SkyCatalog/Resources/catalogs")

    struct Row {
        var fields: [String: String]
        subscript(_ key: String) -> String { fields[key] ?? "" }
        func number(_ key: String) -> Double? { Double(self[key]) }
    }

    nonisolated(unsafe) private static var cache: [String: [Row]] = [:]
    private static let lock = NSLock()

    static func rows(_ cloud: String) -> [Row] {
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[cloud] { return hit }
        let url = directory.appendingPathComponent("\(cloud)/vms.csv")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = split(lines.removeFirst())
        let rows = lines.map { line in
            Row(fields: Dictionary(zip(header, split(line)), uniquingKeysWith: { a, _ in a }))
        }
        cache[cloud] = rows
        return rows
    }

    static func split(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        for ch in line {
            if ch == "\"" {
                quoted.toggle()
                continue
            }
            if ch == "," && !quoted {
                out.append(current)
                current = ""
                continue
            }
            current.append(ch)
        }
        out.append(current)
        return out
    }

    /// The optimizer on the bundled catalogs only (a home without overrides).
    static func optimizer() -> Optimizer {
        Optimizer(catalogs: CatalogStore(home: "/nonexistent/sky-home-for-tests"))
    }

    static func task(_ resources: [Resources], ordered: Bool = false, nodes: Int = 1) -> Task {
        var task = Task(run: "echo hi")
        task.resources = resources
        task.resourcesOrdered = ordered
        task.numNodes = nodes
        return task
    }

    /// Cheapest (price, region, zone) of the rows, SkyPilot's region order on ties.
    static func cheapest(_ rows: [Row], spot: Bool = false) -> Row? {
        let key = spot ? "SpotPrice" : "Price"
        return rows.filter { $0.number(key) != nil }.min { a, b in
            let (pa, pb) = (a.number(key) ?? 0, b.number(key) ?? 0)
            if pa != pb { return pa < pb }
            if a["Region"] != b["Region"] { return a["Region"] < b["Region"] }
            return a["AvailabilityZone"] < b["AvailabilityZone"]
        }
    }
}
