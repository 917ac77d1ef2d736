import ArgumentParser
import Foundation
import SkyCore
import SkyEngine

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show clusters.",
        discussion: "Shows the cached state; -r queries the providers first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Cluster names; glob patterns allowed. Default: all clusters.")
    var clusters: [String] = []

    @Flag(name: .shortAndLong, help: "Query the providers for the real state of the clusters.")
    var refresh = false

    @Flag(help: "Print only the head node's IP address of the named cluster.")
    var ip = false

    @Flag(help: "Print every open port's endpoint of the named cluster.")
    var endpoints = false

    @Option(help: "Print the endpoint of this port of the named cluster.")
    var endpoint: Int?

    @Flag(
        name: .customLong("show-managed-jobs"), inversion: .prefixedNo,
        help: "Also show managed jobs.")
    var showManagedJobs = true

    @Flag(name: .customLong("show-services"), inversion: .prefixedNo, help: "Also show services.")
    var showServices = true

    @Flag(name: .customLong("show-pools"), inversion: .prefixedNo, help: "Also show pools.")
    var showPools = true

    @Flag(
        name: [.customShort("u"), .customLong("all-users")], help: "Show clusters of every user.")
    var allUsers = false

    func validate() throws {
        if (ip || endpoints || endpoint != nil) && clusters.count != 1 {
            throw ValidationError("--ip, --endpoints and --endpoint need exactly one cluster name.")
        }
    }

    func run() async throws {
        let engine = global.engine()
        if ip {
            return Console.print(try await engine.headIP(clusters[0]))
        }
        if endpoints || endpoint != nil {
            let found = try await engine.endpoints(clusters[0], port: endpoint)
            for port in found.keys.sorted() {
                for address in found[port] ?? [] {
                    Console.print(endpoint == nil ? "\(port): \(address)" : address)
                }
            }
            return
        }
        let views: [ClusterView]
        if refresh {
            views = try await Console.withProgress("Refreshing cluster status ...") {
                try await engine.statusViews(clusters, refresh: true)
            }
        } else {
            views = try await engine.statusViews(clusters)
        }
        if output.isJSON {
            return Console.printJSON(.array(views.map(\.json)))
        }
        guard !views.isEmpty else {
            return Console.print("No existing clusters.")
        }
        Console.print("Clusters")
        // SkyPilot's columns; ORIGIN only when some cluster comes from sky-operator.
        let showOrigin = views.contains { $0.origin != "cli" }
        var rows = [["NAME", "INFRA", "RESOURCES", "STATUS", "AUTOSTOP", "LAUNCHED"]]
        if showOrigin { rows[0].append("ORIGIN") }
        for view in views {
            var row = [
                view.name, view.infra, view.resources, view.status, view.autostop,
                Self.relative(view.launchedAt),
            ]
            if showOrigin { row.append(view.origin) }
            rows.append(row)
        }
        Self.printTable(rows)
    }

    /// Left-aligned columns separated by two spaces.
    static func printTable(_ rows: [[String]]) {
        guard let width = rows.first?.count else { return }
        var widths = [Int](repeating: 0, count: width)
        for row in rows {
            for (i, cell) in row.enumerated() where i < width {
                widths[i] = max(widths[i], cell.count)
            }
        }
        for row in rows {
            let cells = row.enumerated().map { i, cell in
                i == row.count - 1
                    ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }
            Console.print(cells.joined(separator: "  "))
        }
    }

    /// `5 mins ago`, `2 hrs ago`, `3 days ago`.
    static func relative(_ date: Date, now: Date = Date()) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds) secs ago"
        case ..<3600: return "\(seconds / 60) mins ago"
        case ..<86400: return "\(seconds / 3600) hrs ago"
        default: return "\(seconds / 86400) days ago"
        }
    }

    /// `1h 5m`, `3m 2s`.
    static func duration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        if seconds >= 3600 { return "\(seconds / 3600)h \((seconds % 3600) / 60)m" }
        if seconds >= 60 { return "\(seconds / 60)m \(seconds % 60)s" }
        return "\(seconds)s"
    }
}
