import Foundation
import GRDB

extension SQLiteStateStore {
    @discardableResult
    package func upsertCluster(_ record: ClusterRecord) async throws -> ClusterRecord {
        let now = now()
        return try await write("save cluster '\(record.name)'") { db in
            let old = try ClusterRecord.fetchOne(db, key: record.name)
            var new = record.normalized
            new.updatedAt = now
            if new.status == .up { new.everUp = true }
            try new.save(db)
            try Self.recordTransition(db, from: old, to: new, at: now)
            return new
        }
    }

    package func cluster(named name: String) async throws -> ClusterRecord? {
        try await read("read cluster '\(name)'") { db in
            try ClusterRecord.fetchOne(db, key: name)
        }
    }

    package func clusters() async throws -> [ClusterRecord] {
        try await read("list clusters") { db in
            try ClusterRecord.fetchAll(
                db, sql: "SELECT * FROM clusters ORDER BY launched_at DESC, name")
        }
    }

    @discardableResult
    package func updateCluster(
        named name: String, _ change: @escaping @Sendable (inout ClusterRecord) -> Void
    ) async throws -> ClusterRecord? {
        let now = now()
        return try await write("update cluster '\(name)'") { db in
            guard let old = try ClusterRecord.fetchOne(db, key: name) else { return nil }
            var new = old
            change(&new)
            new = new.normalized
            new.name = old.name
            new.updatedAt = now
            if new.status == .up { new.everUp = true }
            try new.update(db)
            try Self.recordTransition(db, from: old, to: new, at: now)
            return new
        }
    }

    @discardableResult
    package func updateClusterStatus(named name: String, to status: ClusterStatus)
        async throws -> ClusterRecord?
    {
        try await updateCluster(named: name) { $0.status = status }
    }

    @discardableResult
    package func deleteCluster(named name: String) async throws -> Bool {
        let now = now()
        return try await write("delete cluster '\(name)'") { db in
            guard let old = try ClusterRecord.fetchOne(db, key: name) else { return false }
            try old.delete(db)
            try Self.recordTransition(db, from: old, to: nil, at: now)
            try db.execute(sql: "DELETE FROM host_leases WHERE cluster = ?", arguments: [name])
            return true
        }
    }

    /// Records the `status_change` event and keeps usage intervals in step with a change
    /// from `old` to `new` (nil = no record). Runs inside the caller's transaction.
    static func recordTransition(
        _ db: Database, from old: ClusterRecord?, to new: ClusterRecord?, at now: Date
    ) throws {
        if old?.status != new?.status, let name = new?.name ?? old?.name {
            let from = old.map { "\($0.status.rawValue) -> " } ?? "-> "
            let to = new?.status.rawValue ?? CostReportRow.terminated
            var event = ClusterEvent(
                cluster: name, clusterHash: new?.clusterHash ?? old?.clusterHash, time: now,
                kind: .statusChange, message: from + to)
            try event.insert(db)
        }
        let wasBilled = old?.status.isBilled ?? false
        let isBilled = new?.status.isBilled ?? false
        let sameTerms = old.flatMap { old in new.map { sameBillingTerms(old, $0) } } ?? false
        if wasBilled, let old, !(isBilled && sameTerms) {
            try closeUsage(db, clusterHash: old.clusterHash, at: now)
        }
        if isBilled, let new, !(wasBilled && sameTerms) {
            try closeUsage(db, clusterHash: new.clusterHash, at: now)
            var interval = UsageInterval(of: new, start: now)
            try interval.insert(db)
        }
    }

    private static func sameBillingTerms(_ a: ClusterRecord, _ b: ClusterRecord) -> Bool {
        a.clusterHash == b.clusterHash && a.hourlyCost == b.hourlyCost
            && a.numNodes == b.numNodes && a.resourcesString == b.resourcesString
    }

    private static func closeUsage(_ db: Database, clusterHash: String, at now: Date) throws {
        try db.execute(
            sql: """
                UPDATE usage_intervals SET "end" = MAX(start, ?)
                WHERE cluster_hash = ? AND "end" IS NULL
                """,
            arguments: [now.timeIntervalSince1970, clusterHash])
    }
}
