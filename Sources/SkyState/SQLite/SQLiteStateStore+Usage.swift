import Foundation
import GRDB

extension SQLiteStateStore {
    @discardableResult
    package func addEvent(_ event: ClusterEvent) async throws -> ClusterEvent {
        try await write("record an event of cluster '\(event.cluster)'") { db in
            var saved = event.normalized
            saved.id = nil
            try saved.insert(db)
            return saved
        }
    }

    package func events(cluster: String?, limit: Int?) async throws -> [ClusterEvent] {
        try await read("read cluster events") { db in
            var request = ClusterEvent.order(Column("id").desc)
            if let cluster { request = request.filter(Column("cluster") == cluster) }
            if let limit { request = request.limit(limit) }
            return try request.fetchAll(db)
        }
    }

    package func usageIntervals(clusterHash: String) async throws -> [UsageInterval] {
        try await read("read usage intervals") { db in
            try UsageInterval.fetchAll(
                db, sql: "SELECT * FROM usage_intervals WHERE cluster_hash = ? ORDER BY start, id",
                arguments: [clusterHash])
        }
    }

    package func costReport(days: Int, userHash: String?) async throws -> [CostReportRow] {
        let now = now()
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400).timeIntervalSince1970
        return try await read("compute the cost report") { db in
            let intervals = try UsageInterval.fetchAll(
                db,
                sql: """
                    SELECT * FROM usage_intervals WHERE cluster_hash IN (
                        SELECT cluster_hash FROM usage_intervals
                        GROUP BY cluster_hash
                        HAVING MAX(COALESCE("end", 1e300)) >= ?)
                    ORDER BY start, id
                    """,
                arguments: [cutoff])
            var statusByHash: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT cluster_hash, status FROM clusters") {
                statusByHash[row["cluster_hash"]] = row["status"]
            }
            let rows = Self.costRows(intervals, statusByHash: statusByHash, now: now)
            return rows.filter { userHash == nil || $0.userHash == userHash }
        }
    }

    /// Groups intervals (ordered by start) by cluster lifetime; newest launch first.
    static func costRows(
        _ intervals: [UsageInterval], statusByHash: [String: String], now: Date
    ) -> [CostReportRow] {
        var rows: [String: CostReportRow] = [:]
        var order: [String] = []
        for interval in intervals {
            let hash = interval.clusterHash
            if var row = rows[hash] {
                row.duration += interval.duration(now: now)
                row.totalCost += interval.cost(now: now)
                row.name = interval.cluster
                row.hourlyCost = interval.hourlyCost
                row.numNodes = interval.numNodes
                row.resourcesString = interval.resourcesString
                rows[hash] = row
            } else {
                order.append(hash)
                rows[hash] = CostReportRow(
                    name: interval.cluster, clusterHash: hash, launchedAt: interval.start,
                    duration: interval.duration(now: now), totalCost: interval.cost(now: now),
                    hourlyCost: interval.hourlyCost, numNodes: interval.numNodes,
                    resourcesString: interval.resourcesString,
                    status: statusByHash[hash] ?? CostReportRow.terminated,
                    userName: interval.userName, userHash: interval.userHash,
                    workspace: interval.workspace, cloud: interval.cloud, region: interval.region)
            }
        }
        return order.compactMap { rows[$0] }.sorted { $0.launchedAt > $1.launchedAt }
    }
}
