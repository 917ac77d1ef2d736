import Foundation
import GRDB

/// Column and date conventions shared by every table: snake_case columns, dates as
/// seconds since 1970 (REAL), nested values (dictionaries, arrays) as JSON text.
package protocol StateRow: Codable, FetchableRecord, MutablePersistableRecord {}

extension StateRow {
    package static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy {
        .convertFromSnakeCase
    }
    package static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy {
        .convertToSnakeCase
    }
    package static func databaseDateDecodingStrategy(for column: String)
        -> DatabaseDateDecodingStrategy
    {
        .timeIntervalSince1970
    }
    package static func databaseDateEncodingStrategy(for column: String)
        -> DatabaseDateEncodingStrategy
    {
        .timeIntervalSince1970
    }
}

extension ClusterRecord: StateRow, PersistableRecord {
    package static let databaseTableName = "clusters"
}

extension ClusterEvent: StateRow {
    package static let databaseTableName = "cluster_events"

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension UsageInterval: StateRow {
    package static let databaseTableName = "usage_intervals"

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension RequestRecord: StateRow, PersistableRecord {
    package static let databaseTableName = "requests"
}

extension StorageRecord: StateRow, PersistableRecord {
    package static let databaseTableName = "storage"
}

extension CheckResult: StateRow, PersistableRecord {
    package static let databaseTableName = "check_results"
}

extension HostLease: StateRow, PersistableRecord {
    package static let databaseTableName = "host_leases"
}
