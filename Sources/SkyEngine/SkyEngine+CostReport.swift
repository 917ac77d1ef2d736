import Foundation
import SkyCore
import SkyState

/// One row of `sky cost-report` for front ends.
package struct CostReportView: Sendable {
    package var name: String
    package var launchedAt: Date
    package var duration: TimeInterval
    package var resources: String
    package var status: String
    package var hourlyCost: Double
    package var totalCost: Double
    package var json: JSONValue
}

/// `sky cost-report`: one row per cluster lifetime, from the usage intervals in the state.
extension SkyEngine {
    package func costReport(days: Int = 30, allUsers: Bool = false) async throws -> [CostReportRow]
    {
        try await SQLiteStateStore(home: home).costReport(
            days: days, userHash: allUsers ? nil : user.hash)
    }

    package func costReportView(days: Int = 30, allUsers: Bool = false) async throws
        -> [CostReportView]
    {
        try await costReport(days: days, allUsers: allUsers).map { row in
            let json: JSONValue = .object([
                ("name", .string(row.name)),
                ("cluster_hash", .string(row.clusterHash)),
                ("launched_at", .int(Int(row.launchedAt.timeIntervalSince1970))),
                ("duration", .double(row.duration)),
                ("num_nodes", .int(row.numNodes)),
                ("resources_str", .string(row.resourcesString)),
                ("status", .string(row.status)),
                ("cloud", row.cloud.map(JSONValue.string) ?? .null),
                ("region", row.region.map(JSONValue.string) ?? .null),
                ("hourly_cost", .double(row.hourlyCost)),
                ("total_cost", .double(row.totalCost)),
                ("user_name", .string(row.userName)),
                ("user_hash", .string(row.userHash)),
                ("workspace", .string(row.workspace)),
            ])
            return CostReportView(
                name: row.name, launchedAt: row.launchedAt, duration: row.duration,
                resources: row.resourcesString, status: row.status, hourlyCost: row.hourlyCost,
                totalCost: row.totalCost, json: json)
        }
    }
}
