import Foundation
import GRDB

extension SQLiteStateStore {
    package func setValue(_ json: String, namespace: String, key: String) async throws {
        let now = now().timeIntervalSince1970
        try await write("save \(namespace)/\(key)") { db in
            try db.execute(
                sql: """
                    INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(namespace, key)
                    DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """,
                arguments: [namespace, key, json, now])
        }
    }

    package func insertValueIfAbsent(_ json: String, namespace: String, key: String)
        async throws -> Bool
    {
        let now = now().timeIntervalSince1970
        return try await write("save \(namespace)/\(key)") { db in
            try db.execute(
                sql: """
                    INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(namespace, key) DO NOTHING
                    """,
                arguments: [namespace, key, json, now])
            return db.changesCount == 1
        }
    }

    package func value(namespace: String, key: String) async throws -> String? {
        try await read("read \(namespace)/\(key)") { db in
            try String.fetchOne(
                db, sql: "SELECT value FROM kv WHERE namespace = ? AND key = ?",
                arguments: [namespace, key])
        }
    }

    package func values(namespace: String) async throws -> [String: String] {
        try await read("read \(namespace)/*") { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT key, value FROM kv WHERE namespace = ?", arguments: [namespace])
            var values: [String: String] = [:]
            for row in rows { values[row["key"]] = row["value"] as String }
            return values
        }
    }

    @discardableResult
    package func deleteValue(namespace: String, key: String) async throws -> Bool {
        try await write("delete \(namespace)/\(key)") { db in
            try db.execute(
                sql: "DELETE FROM kv WHERE namespace = ? AND key = ?",
                arguments: [namespace, key])
            return db.changesCount > 0
        }
    }
}
