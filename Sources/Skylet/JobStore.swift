import Foundation
import GRDB
import SkyCore

/// The job queue on the head node: an SQLite file shared by the daemon, the per-job drivers
/// and each `skylet` command (WAL, busy timeout; every write is an IMMEDIATE transaction).
final class JobStore: Sendable {
    private let db: DatabaseQueue

    init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL")
            try db.execute(sql: "PRAGMA synchronous=NORMAL")
        }
        do {
            db = try DatabaseQueue(path: path, configuration: config)
            try db.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS jobs (
                            id INTEGER PRIMARY KEY AUTOINCREMENT,
                            name TEXT, username TEXT NOT NULL, userHash TEXT NOT NULL,
                            submittedAt DOUBLE NOT NULL, startAt DOUBLE, endAt DOUBLE,
                            resources TEXT NOT NULL, status TEXT NOT NULL,
                            runTimestamp TEXT NOT NULL, logPath TEXT NOT NULL,
                            numNodes INTEGER NOT NULL, cpus DOUBLE NOT NULL, gpus DOUBLE NOT NULL,
                            spec TEXT NOT NULL, allocation TEXT, driverPID INTEGER,
                            nodeGroups TEXT, exitCode INTEGER, hasSetup BOOLEAN NOT NULL)
                        """)
            }
        } catch {
            throw SkyletError.database("\(path): \(error)")
        }
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SkyletError { throw error } catch {
            throw SkyletError.database("\(error)")
        }
    }

    func insert(_ row: JobRow) throws -> Int {
        try wrap {
            try db.write { db in
                var row = row
                try row.insert(db)
                return row.jobID
            }
        }
    }

    func job(_ id: Int) throws -> JobRow? {
        try wrap { try db.read { try JobRow.fetchOne($0, key: Int64(id)) } }
    }

    func all() throws -> [JobRow] {
        try wrap { try db.read { try JobRow.order(Column("id")).fetchAll($0) } }
    }

    func nonTerminal() throws -> [JobRow] {
        let open = [JobStatus.initializing, .pending, .settingUp, .running].map(\.rawValue)
        return try wrap {
            try db.read {
                try JobRow.filter(open.contains(Column("status"))).order(Column("id")).fetchAll($0)
            }
        }
    }

    /// Moves a job to `status` unless it is already terminal; returns whether it changed.
    /// Sets `startAt` on RUNNING and `endAt` on a terminal status.
    @discardableResult
    func transition(_ id: Int, to status: JobStatus, exitCode: Int32? = nil) throws -> Bool {
        try wrap {
            try db.write { db in
                guard var row = try JobRow.fetchOne(db, key: Int64(id)), !row.jobStatus.isTerminal
                else { return false }
                row.status = status.rawValue
                let now = Date().timeIntervalSince1970
                if status == .running && row.startAt == nil { row.startAt = now }
                if status.isTerminal {
                    row.endAt = now
                    row.exitCode = exitCode
                }
                try row.update(db)
                return true
            }
        }
    }

    func update(_ id: Int, _ change: @escaping (inout JobRow) -> Void) throws {
        try wrap {
            try db.write { db in
                guard var row = try JobRow.fetchOne(db, key: Int64(id)) else { return }
                change(&row)
                try row.update(db)
            }
        }
    }

    func recordNodeGroup(_ id: Int, rank: Int, pgid: Int32) throws {
        try update(id) { row in
            var groups = row.decodedNodeGroups
            groups[rank] = pgid
            let map = Dictionary(uniqueKeysWithValues: groups.map { (String($0.key), $0.value) })
            row.nodeGroups = (try? JSONEncoder().encode(map)).map {
                String(decoding: $0, as: UTF8.self)
            }
        }
    }

    /// One scheduling pass (strict FIFO): grants resources to waiting jobs in submission order
    /// while they fit; the first job that does not fit blocks those after it.
    /// Returns the ids granted in this pass.
    @discardableResult
    func schedule(cluster: ClusterSpec) throws -> [Int] {
        try wrap {
            try db.write { db in
                let rows = try JobRow.order(Column("id")).fetchAll(db).filter {
                    !$0.jobStatus.isTerminal
                }
                var capacity = Capacity(
                    cluster: cluster, active: rows.compactMap(\.decodedAllocation))
                var granted: [Int] = []
                for var row in rows where row.allocation == nil {
                    guard
                        let allocation = capacity.fit(
                            numNodes: row.numNodes, cpus: row.cpus, gpus: row.gpus)
                    else { break }
                    capacity.take(allocation)
                    row.allocation = String(
                        decoding: try JSONEncoder().encode(allocation), as: UTF8.self)
                    try row.update(db)
                    granted.append(row.jobID)
                }
                return granted
            }
        }
    }
}
