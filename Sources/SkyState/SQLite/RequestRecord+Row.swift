import Foundation
import GRDB

/// Hand-written row decoding (`sky api status` lists many requests; see ClusterRecord+Row).
extension RequestRecord {
    package init(row: Row) throws {
        let id: String = row["id"]
        let statusText: String = row["status"]
        guard let status = RequestStatus(rawValue: statusText) else {
            throw StateError.database(
                operation: "read request \(id)", reason: "unknown status '\(statusText)'")
        }
        let finished: Double? = row["finished_at"]
        self.init(
            id: id, name: row["name"], status: status,
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            finishedAt: finished.map { Date(timeIntervalSince1970: $0) },
            userName: row["user_name"], userId: row["user_id"],
            clusterName: row["cluster_name"], scheduleType: row["schedule_type"],
            body: row["body"], result: row["result"], error: row["error"],
            statusMessage: row["status_message"], pid: row["pid"])
    }
}
