import Foundation
import GRDB

extension SQLiteStateStore {
    @discardableResult
    package func upsertStorage(_ record: StorageRecord) async throws -> StorageRecord {
        let now = now()
        return try await write("save storage '\(record.name)'") { db in
            var saved = record.normalized
            saved.updatedAt = now
            try saved.save(db)
            return saved
        }
    }

    package func storage(named name: String) async throws -> StorageRecord? {
        try await read("read storage '\(name)'") { db in
            try StorageRecord.fetchOne(db, key: name)
        }
    }

    package func storages() async throws -> [StorageRecord] {
        try await read("list storage") { db in
            try StorageRecord.order(Column("created_at").desc, Column("name")).fetchAll(db)
        }
    }

    @discardableResult
    package func updateStorageStatus(named name: String, to status: StorageStatus)
        async throws -> StorageRecord?
    {
        let now = now()
        return try await write("update storage '\(name)'") { db in
            guard var record = try StorageRecord.fetchOne(db, key: name) else { return nil }
            record.status = status
            record.updatedAt = now
            try record.update(db)
            return record
        }
    }

    @discardableResult
    package func deleteStorage(named name: String) async throws -> Bool {
        try await write("delete storage '\(name)'") { db in
            try StorageRecord.deleteOne(db, key: name)
        }
    }

    // MARK: sky check cache

    package func saveCheckResults(_ results: [CheckResult]) async throws {
        try await write("save check results") { db in
            for result in results {
                try result.normalized.save(db)
            }
        }
    }

    package func checkResults(workspace: String) async throws -> [CheckResult] {
        try await read("read check results") { db in
            try CheckResult.filter(Column("workspace") == workspace)
                .order(Column("backend")).fetchAll(db)
        }
    }

    package func enabledClouds(workspace: String, capability: String) async throws -> [String] {
        try await checkResults(workspace: workspace)
            .filter { $0.capabilities.contains(capability) }
            .map(\.backend)
    }
}
