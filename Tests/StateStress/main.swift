import Foundation
import SkyCore
import SkyState

// One worker of the SkyState multi-process test (Tests/SkyStateTests/MultiProcessTests).
// Usage: sky-state-stress --home DIR --worker N [--iterations 200] [--pool-size 40]
//        sky-state-stress --home DIR --bench [--clusters 20]
//        sky-state-stress --home DIR --list   (what `sky status -o json` reads and prints)
// A worker hammers one state database shared with other workers and prints one JSON line
// with what it claimed; it exits 3 if it saw two holders of one host at the same time.

struct Options {
    var home = ""
    var worker = 0
    var iterations = 200
    var poolSize = 40
    var bench = false
    var list = false
    var clusters = 20

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            func next() throws -> String {
                guard let value = rest.popFirst() else { throw UsageError(flag) }
                return value
            }
            switch flag {
            case "--home": home = try next()
            case "--worker": worker = Int(try next()) ?? 0
            case "--iterations": iterations = Int(try next()) ?? 200
            case "--pool-size": poolSize = Int(try next()) ?? 40
            case "--clusters": clusters = Int(try next()) ?? 20
            case "--bench": bench = true
            case "--list": list = true
            default: throw UsageError(flag)
            }
        }
        guard !home.isEmpty else { throw UsageError("--home") }
    }
}

struct UsageError: Error, CustomStringConvertible {
    let flag: String
    init(_ flag: String) { self.flag = flag }
    var description: String {
        "sky-state-stress: bad or missing '\(flag)'; usage: --home DIR --worker N "
            + "[--iterations 200] [--pool-size 40] | --home DIR --bench [--clusters 20]"
    }
}

struct Report: Codable {
    var worker: Int
    /// Hosts of pool `fixed` this worker obtained, with the cluster that holds each.
    var claimed: [String: String] = [:]
    var churnClaims = 0
    var violations: [String] = []
    var schemaVersion = 0
}

func runWorker(_ options: Options) async throws -> Report {
    let store = SQLiteStateStore(home: options.home)
    let worker = options.worker
    let fixedHosts = (0..<options.poolSize).map { String(format: "h%02d", $0) }
    var report = Report(worker: worker)
    // Open (and, for a new file, create and migrate) the database before anything else,
    // so that workers started together race on the creation.
    report.schemaVersion = try await store.schemaVersion()
    for j in 0..<options.iterations {
        let name = "w\(worker)-c\(j)"
        let record = ClusterRecord(
            name: name, userName: "u\(worker)", userHash: "hash\(worker)",
            clusterHash: "\(name)-hash", cloud: "local", numNodes: 1 + j % 3,
            resourcesString: "1x Local", labels: ["worker": "\(worker)"], hourlyCost: 0.5)
        try await store.upsertCluster(record)
        try await store.updateClusterStatus(named: name, to: .up)
        if j % 10 == 9 { try await store.deleteCluster(named: name) }
        try await store.updateCluster(named: "shared") { $0.priority += 1 }
        try await store.addEvent(ClusterEvent(cluster: name, kind: .launch, message: "w\(worker)"))
        let request = RequestRecord(name: "sky.launch", userName: "u\(worker)", clusterName: name)
        try await store.createRequest(request)
        try await store.finishRequest(id: request.id, status: .succeeded, result: "{}")
        try await store.setValue("\(j)", namespace: "w\(worker)", key: "k\(j)")

        let holder = "w\(worker)-hold-\(j)"
        do {
            let hosts = try await store.claimHosts(
                pool: "fixed", candidates: fixedHosts.shuffled(), count: 1 + j % 2,
                cluster: holder)
            for host in hosts { report.claimed[host] = holder }
        } catch StateError.insufficientHosts {
            // The pool is used up; claims keep being attempted to race with the others.
        }

        let churner = "w\(worker)-churn"
        do {
            let hosts = try await store.claimHosts(
                pool: "churn", candidates: ["a", "b", "c"].shuffled(), count: 1,
                cluster: churner)
            for host in hosts {
                let mine = try await store.insertValueIfAbsent(
                    "\(worker)", namespace: "churn-holder", key: host)
                if !mine { report.violations.append("host \(host) held twice at iteration \(j)") }
                if mine { try await store.deleteValue(namespace: "churn-holder", key: host) }
            }
            report.churnClaims += 1
            try await store.releaseHosts(cluster: churner)
        } catch StateError.insufficientHosts {
            // All churn hosts are held by other workers right now.
        }
    }
    return report
}

/// Times what `sky status` does: open the store and list the clusters.
func runBench(_ options: Options) async throws {
    let setup = SQLiteStateStore(home: options.home)
    for i in 0..<options.clusters {
        let name = "bench-\(i)"
        try await setup.upsertCluster(
            ClusterRecord(
                name: name, status: .up, userName: "u", userHash: "h", clusterHash: name,
                cloud: "aws", region: "us-east-1", numNodes: 2, cpus: 8, memory: 32,
                accelerators: ["A100": 1], resourcesString: "2x AWS(p4d.24xlarge)",
                labels: ["team": "ml"], handle: #"{"ips": ["10.0.0.1", "10.0.0.2"]}"#))
    }
    for round in 1...5 {
        let start = ContinuousClock.now
        let store = SQLiteStateStore(home: options.home)
        let clusters = try await store.clusters()
        let elapsed = ContinuousClock.now - start
        var again: [Duration] = []
        for _ in 0..<3 {
            let start = ContinuousClock.now
            _ = try await store.clusters()
            again.append(ContinuousClock.now - start)
        }
        print(
            "round \(round): open + list \(clusters.count) clusters: \(elapsed); "
                + "list again: \(again)")
    }
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    if options.bench {
        try await runBench(options)
    } else if options.list {
        let clusters = try await SQLiteStateStore(home: options.home).clusters()
        print(JSONValue.array(clusters.map(\.statusJSON)).encoded())
    } else {
        let report = try await runWorker(options)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
        exit(report.violations.isEmpty ? 0 : 3)
    }
} catch {
    FileHandle.standardError.write(Data("sky-state-stress: \(error)\n".utf8))
    exit(1)
}
