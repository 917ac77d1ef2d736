import Foundation
import SkyState
import Testing

/// Several OS processes (the `sky-state-stress` executable) write one database at once.
@Suite struct MultiProcessTests {
    static let workers = 6
    static let iterations = 200
    static let poolSize = 40

    struct Report: Codable {
        var worker: Int
        var claimed: [String: String]
        var churnClaims: Int
        var violations: [String]
        var schemaVersion: Int
    }

    @Test func concurrentProcessesLoseNothingAndNeverShareAHost() async throws {
        let executable = try #require(
            Self.stressExecutable(),
            "sky-state-stress not found next to the test bundle; run 'swift build' first")
        let home = try TemporaryHome()
        defer { home.remove() }

        // Phase 1: all workers create the database at once (migration race).
        let openers = try await Self.runAll(executable, home: home.path, iterations: 0)
        #expect(openers.map(\.schemaVersion) == Array(repeating: 1, count: Self.workers))
        let store = SQLiteStateStore(home: home.path)
        #expect(try await store.schemaVersion() == 1)
        try await store.upsertCluster(
            ClusterRecord(
                name: "shared", status: .up, userName: "t", userHash: "t", clusterHash: "s"))

        // Phase 2: all workers write at once.
        let reports = try await Self.runAll(
            executable, home: home.path, iterations: Self.iterations)

        // No lost update or record.
        #expect(
            try await store.cluster(named: "shared")?.priority == Self.workers * Self.iterations)
        let clusters = try await store.clusters()
        let kept = Self.iterations - Self.iterations / 10
        #expect(clusters.count == 1 + Self.workers * kept)
        for worker in 0..<Self.workers {
            let mine = clusters.filter { $0.labels["worker"] == "\(worker)" }
            #expect(mine.count == kept)
            #expect(mine.allSatisfy { $0.status == .up && $0.everUp })
            #expect(try await store.values(namespace: "w\(worker)").count == Self.iterations)
        }
        let events = try await store.events(cluster: nil, limit: nil)
        #expect(events.filter { $0.kind == .launch }.count == Self.workers * Self.iterations)
        #expect(Set(events.compactMap(\.id)).count == events.count)
        let requests = try await store.requests(matching: RequestFilter())
        #expect(requests.count == Self.workers * Self.iterations)
        #expect(requests.allSatisfy { $0.status == .succeeded })

        // No host handed to two clusters; every claim reported is a lease in the table.
        var claimedBy: [String: String] = [:]
        for report in reports {
            for (host, cluster) in report.claimed {
                #expect(claimedBy[host] == nil, "host \(host) was claimed twice")
                claimedBy[host] = cluster
            }
            #expect(report.violations.isEmpty)
            #expect(report.churnClaims > 0)
        }
        let leases = try await store.leases(pool: "fixed")
        #expect(leases.count == Self.poolSize)
        #expect(Dictionary(uniqueKeysWithValues: leases.map { ($0.host, $0.cluster) }) == claimedBy)
        #expect(try await store.leases(pool: "churn").isEmpty)
        #expect(try await store.values(namespace: "churn-holder").isEmpty)

        #expect(try await store.integrityCheck() == ["ok"])
        #expect(try await store.journalMode() == "wal")
    }

    /// The first `sky` commands on a machine, run at once, all open the database they create
    /// together. Switching a new file to WAL can fail in a process with SQLITE_BUSY without
    /// SQLite's busy handler being called (two processes upgrading their locks): about 1 in
    /// 120 openers failed with "database is locked" before the open was retried (10 of 1200).
    @Test func manyProcessesCreatingTheDatabaseAtOnceAllOpenIt() async throws {
        let executable = try #require(Self.stressExecutable())
        for _ in 0..<40 {
            let home = try TemporaryHome()
            defer { home.remove() }
            let openers = try await Self.runAll(executable, home: home.path, iterations: 0)
            #expect(openers.map(\.schemaVersion) == Array(repeating: 1, count: Self.workers))
        }
    }

    static func runAll(_ executable: URL, home: String, iterations: Int) async throws -> [Report] {
        try await withThrowingTaskGroup(of: Report.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    try await run(executable, worker: worker, home: home, iterations: iterations)
                }
            }
            return try await group.reduce(into: [Report]()) { $0.append($1) }
        }
    }

    /// Runs one worker to completion and decodes its report (stdout goes to a file, so a
    /// full pipe can never block the child).
    static func run(_ executable: URL, worker: Int, home: String, iterations: Int) async throws
        -> Report
    {
        let base = URL(fileURLWithPath: home)
        let output = base.appendingPathComponent("worker-\(worker)-\(iterations).out")
        let errors = base.appendingPathComponent("worker-\(worker)-\(iterations).err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "--home", home, "--worker", "\(worker)", "--iterations", "\(iterations)",
            "--pool-size", "\(poolSize)",
        ]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        #expect(status == 0, "worker \(worker) exited \(status): \(stderr)")
        let data = try Data(contentsOf: output)
        return try JSONDecoder().decode(Report.self, from: data)
    }

    /// `swift test` builds every executable product into the directory of the test bundle.
    static func stressExecutable() -> URL? {
        let name = "sky-state-stress"
        var directories: [URL] = []
        if let first = CommandLine.arguments.first {
            var url = URL(fileURLWithPath: first).deletingLastPathComponent()
            for _ in 0..<4 {
                directories.append(url)
                url = url.deletingLastPathComponent()
            }
        }
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        directories.append(packageRoot.appendingPathComponent(".build/debug"))
        return directories.map { $0.appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
