import Foundation
import GRDB

extension SQLiteStateStore {
    @discardableResult
    package func createRequest(_ request: RequestRecord) async throws -> RequestRecord {
        let saved = request.normalized
        return try await write("create request \(request.id)") { db in
            try saved.insert(db)
            return saved
        }
    }

    @discardableResult
    package func updateRequest(
        id: String, _ change: @escaping @Sendable (inout RequestRecord) -> Void
    ) async throws -> RequestRecord? {
        try await write("update request \(id)") { db in
            guard var request = try RequestRecord.fetchOne(db, key: id) else { return nil }
            change(&request)
            request = request.normalized
            request.id = id
            try request.update(db)
            return request
        }
    }

    package func request(id: String) async throws -> RequestRecord? {
        try await read("read request \(id)") { db in
            try RequestRecord.fetchOne(db, key: id)
        }
    }

    package func request(idPrefix prefix: String) async throws -> RequestRecord? {
        let key = prefix.lowercased()
        return try await read("look up request \(prefix)") { db in
            // A range on the primary key: every id starting with `key` sorts in
            // [key, key + U+10FFFF) under SQLite's binary (UTF-8) collation.
            let matches = try RequestRecord.fetchAll(
                db, sql: "SELECT * FROM requests WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
                arguments: [key, key + "\u{10FFFF}"])
            guard matches.count <= 1 else {
                throw StateError.ambiguousRequestPrefix(prefix: prefix, matches: matches.map(\.id))
            }
            return matches.first
        }
    }

    package func requests(matching filter: RequestFilter) async throws -> [RequestRecord] {
        try await read("list requests") { db in
            var request = RequestRecord.order(Column("created_at").desc, Column("id"))
            if let statuses = filter.statuses {
                request = request.filter(statuses.map(\.rawValue).contains(Column("status")))
            }
            if let cluster = filter.clusterName {
                request = request.filter(Column("cluster_name") == cluster)
            }
            if let user = filter.userName {
                request = request.filter(Column("user_name") == user)
            }
            if let limit = filter.limit { request = request.limit(limit) }
            return try request.fetchAll(db)
        }
    }

    @discardableResult
    package func deleteRequests(finishedBefore date: Date) async throws -> Int {
        try await write("delete old requests") { db in
            try db.execute(
                sql: "DELETE FROM requests WHERE finished_at IS NOT NULL AND finished_at < ?",
                arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
