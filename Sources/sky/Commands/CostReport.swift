import ArgumentParser
import Foundation
import SkyCore
import SkyEngine

struct CostReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost-report",
        abstract: "Show estimated costs of clusters, including terminated ones.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .shortAndLong, help: "Include clusters of every user.")
    var all = false

    @Option(help: "Report on the last N days.")
    var days: Int = 30

    func run() async throws {
        let report = try await global.engine().costReportView(days: days, allUsers: all)
        if output.isJSON {
            Console.printJSON(.array(report.map(\.json)))
            return
        }
        guard !report.isEmpty else { return Console.print("No clusters in the last \(days) days.") }
        var rows = [
            ["NAME", "LAUNCHED", "DURATION", "RESOURCES", "STATUS", "COST/hr", "COST (est.)"]
        ]
        for row in report {
            rows.append([
                row.name, Status.relative(row.launchedAt), Status.duration(row.duration),
                row.resources, row.status, String(format: "$ %.2f", row.hourlyCost),
                String(format: "$ %.2f", row.totalCost),
            ])
        }
        Status.printTable(rows)
        let total = report.reduce(0) { $0 + $1.totalCost }
        Console.print(String(format: "\nTotal: $ %.2f", total))
    }
}
