import Foundation
import GRDB
import SkyCore

/// One job of the queue as stored in `~/.sky/skylet/jobs.db`. The stored spec never holds
/// secret values (the driver process gets them on its stdin).
struct JobRow: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "jobs"

    var id: Int64?
    var name: String?
    var username: String
    var userHash: String
    var submittedAt: Double
    var startAt: Double?
    var endAt: Double?
    var resources: String
    var status: String
    /// `sky-YYYY-MM-DD-HH-MM-SS-ffffff`: names the log directory and the task id.
    var runTimestamp: String
    /// `~/sky_logs/<runTimestamp>`.
    var logPath: String
    var numNodes: Int
    var cpus: Double
    var gpus: Double
    /// JSON of the `JobSpec` with secrets removed.
    var spec: String
    /// JSON of the `Allocation` the scheduler granted; nil while waiting.
    var allocation: String?
    var driverPID: Int32?
    /// JSON `{"<rank>": pgid}` of the processes running on each node (setup or run).
    var nodeGroups: String?
    var exitCode: Int32?
    /// Whether the job runs setup (submitted by `sky launch`).
    var hasSetup: Bool

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var jobID: Int { Int(id ?? 0) }

    var jobStatus: JobStatus { JobStatus(rawValue: status) ?? .failedDriver }

    var decodedAllocation: Allocation? {
        allocation.flatMap { try? JSONDecoder().decode(Allocation.self, from: Data($0.utf8)) }
    }

    var decodedNodeGroups: [Int: Int32] {
        guard let nodeGroups,
            let map = try? JSONDecoder().decode([String: Int32].self, from: Data(nodeGroups.utf8))
        else { return [:] }
        return Dictionary(uniqueKeysWithValues: map.compactMap { k, v in Int(k).map { ($0, v) } })
    }

    var record: JobRecord {
        JobRecord(
            jobID: jobID, jobName: name, username: username, userHash: userHash,
            submittedAt: submittedAt, startAt: startAt, endAt: endAt, resources: resources,
            status: jobStatus, logPath: logPath,
            // The job's exit code once it ended (the operator's SkyJob status reads it).
            metadata: exitCode.map { ["exit_code": String($0)] } ?? [:])
    }
}
