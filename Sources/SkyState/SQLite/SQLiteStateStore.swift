import Foundation
import GRDB
import Synchronization

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

/// The state store on one SQLite file (`$SKY_HOME/state.db`), shared by every `sky` process
/// of the user: WAL mode, a busy timeout, immediate write transactions, schema migrations.
///
/// Creating the store does no I/O; the database is opened (and migrated if its schema
/// version differs) on first use, once per store.
package final class SQLiteStateStore: StateStore {
    /// The directory holding `state.db`.
    package let home: String
    /// The database file, or nil for an in-memory store.
    package let path: String?
    /// The store's clock: every timestamp the store writes comes from here.
    private let clock: @Sendable () -> Date
    private let database: Mutex<(any DatabaseWriter)?>

    /// How long a writer waits for another process's write lock before failing.
    package static let busyTimeout: TimeInterval = 30

    /// A store on `home/state.db`.
    package init(home: String, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.home = home
        self.path = (home as NSString).appendingPathComponent("state.db")
        self.clock = clock
        self.database = Mutex(nil)
    }

    /// A store on the user's state directory (`SKY_HOME`, default `~/.sky`).
    package convenience init(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.init(home: Self.defaultHome(environment: environment))
    }

    private init(inMemory queue: DatabaseQueue, clock: @escaping @Sendable () -> Date) {
        self.home = ""
        self.path = nil
        self.clock = clock
        self.database = Mutex(queue)
    }

    /// A private in-memory store, for tests of code that uses a `StateStore`.
    package static func inMemory(clock: @escaping @Sendable () -> Date = { Date() }) throws
        -> SQLiteStateStore
    {
        let queue = try DatabaseQueue(configuration: configuration())
        try StateSchema.migrator.migrate(queue)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA user_version = \(StateSchema.version)")
        }
        return SQLiteStateStore(inMemory: queue, clock: clock)
    }

    /// `SKY_HOME` when set and not empty, otherwise `~/.sky`.
    package static func defaultHome(environment: [String: String]) -> String {
        if let home = environment["SKY_HOME"], !home.isEmpty {
            return (home as NSString).expandingTildeInPath
        }
        let user = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (user as NSString).appendingPathComponent(".sky")
    }

    /// The current time as the store records it.
    func now() -> Date { clock().stateNormalized }

    // MARK: Opening

    /// Connection pools by database path, shared by every store of the process and never
    /// closed: a short-lived `sky` process then exits without the checkpoint and fsyncs that
    /// closing the last connection costs (the WAL stays valid and is checkpointed by later
    /// writes), and all stores on one file in a process share one writer.
    private static let pools = Mutex<[String: DatabasePool]>([:])

    /// The open database, opening it on first use.
    func writer() throws -> any DatabaseWriter {
        try database.withLock { current throws(StateError) -> any DatabaseWriter in
            if let current { return current }
            let opened = try Self.pools.withLock { pools throws(StateError) -> DatabasePool in
                // A cached pool is reused only while its file is still there (a test may
                // delete a SKY_HOME and create a new one at the same path).
                if let path, let pool = pools[path], FileManager.default.fileExists(atPath: path) {
                    return pool
                }
                let pool = try open()
                if let path { pools[path] = pool }
                return pool
            }
            current = opened
            return opened
        }
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.label = "sky.state"
        config.prepareDatabase { db in
            // WAL + NORMAL never corrupts; a power loss may only drop the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Keep the -wal and -shm files when the last connection closes. Otherwise every
            // short-lived `sky` process deletes them on exit and the next one re-creates them
            // with a dummy write and fsyncs (GRDB needs a non-empty WAL to open a pool).
            var persist: Int32 = 1
            _ = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
        }
        return config
    }

    private func open() throws(StateError) -> DatabasePool {
        guard let path else {
            throw StateError.cannotOpen(path: "(memory)", reason: "the in-memory store is closed")
        }
        let files = FileManager.default
        let isNew = !files.fileExists(atPath: path)
        if isNew {
            do {
                try files.createDirectory(
                    atPath: home, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw StateError.cannotOpen(path: path, reason: error.localizedDescription)
            }
        }
        // Processes that create the database at once each switch the new file to WAL, taking
        // and upgrading locks in rollback mode, where SQLite answers one of two upgraders
        // SQLITE_BUSY without calling the busy handler (it would deadlock). About 1 in 120 of 8
        // such processes failed so: try again, for as long as a write would wait.
        let deadline = Date().addingTimeInterval(Self.busyTimeout)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: Self.configuration())
                if isNew {
                    try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
                }
                try migrateIfNeeded(pool, path: path)
                return pool
            } catch let error as StateError {
                throw error
            } catch let error as DatabaseError
                where error.resultCode == .SQLITE_BUSY && Date() < deadline
            {
                usleep(useconds_t.random(in: 2_000...20_000))
            } catch {
                throw StateError.cannotOpen(path: path, reason: Self.reason(error))
            }
        }
    }

    /// Runs the migrations when `user_version` is behind, under a cross-process file lock
    /// (two processes opening a new database at once must not both create the tables).
    private func migrateIfNeeded(_ pool: DatabasePool, path: String) throws {
        let version = {
            try pool.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            }
        }
        guard try version() < StateSchema.version else { return }
        try FileLock.withExclusiveLock(path: path + ".lock") {
            guard try version() < StateSchema.version else { return }
            try StateSchema.migrator.migrate(pool)
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA user_version = \(StateSchema.version)")
            }
        }
    }

    // MARK: Access

    /// Runs `body` in an immediate write transaction; wraps database errors.
    func write<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        let writer = try writer()
        return try await wrappingErrors(operation) { try await writer.write(body) }
    }

    /// Runs `body` on a consistent snapshot; wraps database errors.
    func read<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        let writer = try writer()
        return try await wrappingErrors(operation) { try await writer.read(body) }
    }

    /// Passes StateError and cancellation through; any other error becomes
    /// `StateError.database` naming `operation`.
    private func wrappingErrors<T: Sendable>(
        _ operation: String, _ access: () async throws -> T
    ) async throws -> T {
        do {
            return try await access()
        } catch let error as StateError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw StateError.database(operation: operation, reason: Self.reason(error))
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a healthy database.
    package func integrityCheck() async throws -> [String] {
        try await read("check integrity") { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check")
        }
    }

    /// The schema version recorded in the database file.
    package func schemaVersion() async throws -> Int {
        try await read("read the schema version") { db in
            try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        }
    }

    /// The journal mode in effect (`wal` for a file store).
    package func journalMode() async throws -> String {
        try await read("read the journal mode") { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? error.description
        }
        return String(describing: error)
    }
}
