import Foundation
import Glibc
import SkyCore

/// The on-node agent's operations, one per `skylet` subcommand. All state lives under the
/// node's home (`~/.sky/skylet`, `~/sky_logs`).
package struct Skylet: Sendable {
    package static let version = "sky-skylet 1"

    package let paths: SkyletPaths
    let environment: [String: String]

    package init(
        paths: SkyletPaths = .current(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.paths = paths
        self.environment = environment
    }

    func openStore() throws -> JobStore {
        try paths.ensureStateDir()
        return try JobStore(path: paths.jobsDB)
    }

    /// `sky-YYYY-MM-DD-HH-MM-SS-ffffff` (local time, like SkyPilot).
    static func runTimestamp(_ date: Date = Date()) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&t, &parts)
        let micros = Int((date.timeIntervalSince1970 - Double(t)) * 1_000_000)
        return String(
            format: "sky-%04d-%02d-%02d-%02d-%02d-%02d-%06d", Int(parts.tm_year) + 1900,
            Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
            Int(parts.tm_sec), micros)
    }

    /// Queues a job and starts its driver; returns the job id. `specJSON` is a `JobSpec`
    /// (secrets included): it is handed to the driver on a pipe and stored without secrets.
    package func submit(specJSON: Data) throws -> Int {
        let spec: JobSpec
        do { spec = try JSONDecoder().decode(JobSpec.self, from: specJSON) } catch {
            throw SkyletError.badInput("the job description is not valid JSON: \(error)")
        }
        let cluster = try ClusterFile.load(paths)
        guard spec.numNodes >= 1 else {
            throw SkyletError.badInput("num_nodes must be at least 1.")
        }
        if let reason = Capacity.impossibility(
            cluster: cluster, numNodes: spec.numNodes, cpus: spec.cpusPerNode,
            gpus: spec.gpusPerNode)
        {
            throw SkyletError.unschedulable(reason)
        }
        let store = try openStore()
        var stored = spec
        stored.secrets = spec.secrets.map { kv in kv.isEmpty ? kv : [kv[0], ""] }
        let timestamp = Self.runTimestamp()
        let row = JobRow(
            id: nil, name: spec.name, username: spec.user, userHash: spec.userHash,
            submittedAt: Date().timeIntervalSince1970, startAt: nil, endAt: nil,
            resources: spec.resourcesString, status: JobStatus.initializing.rawValue,
            runTimestamp: timestamp, logPath: "~/sky_logs/\(timestamp)", numNodes: spec.numNodes,
            cpus: spec.cpusPerNode, gpus: spec.gpusPerNode,
            spec: String(decoding: try JSONEncoder().encode(stored), as: UTF8.self),
            allocation: nil, driverPID: nil, nodeGroups: nil, exitCode: nil,
            hasSetup: spec.setup != nil)
        let id = try store.insert(row)
        // Grant resources now when they are free, so the driver can start at once.
        try store.schedule(cluster: cluster)
        let logDir = paths.expand(row.logPath)
        try? FileManager.default.createDirectory(atPath: logDir, withIntermediateDirectories: true)
        let log = open(logDir + "/run.log", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if log >= 0 { close(log) }
        if cluster.daemonStartsDrivers == true {
            // The daemon starts the driver in its own (long-lived) process tree.
            do {
                try FileManager.default.createDirectory(
                    atPath: paths.pendingDir, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
                try ClusterFile.atomicWrite(specJSON, to: paths.pendingSpec(id))
            } catch {
                try store.transition(id, to: .failedDriver)
                throw error
            }
            Daemon(skylet: self).wake()
            return id
        }
        do {
            let driver = try Spawn.startOrphan(
                [ProcessTable.selfExecutable(), "run-job", String(id)], environment: environment,
                input: specJSON, log: logDir + "/driver.log")
            try store.update(id) { $0.driverPID = driver }
        } catch {
            try store.transition(id, to: .failedDriver)
            throw error
        }
        return id
    }

    /// Body of `skylet run-job ID`: the job's driver. Reads the full spec on stdin.
    package func runJob(_ id: Int) throws -> Int32 {
        let input = FDIO.readAll(0)
        let store = try openStore()
        let spec: JobSpec
        do { spec = try JSONDecoder().decode(JobSpec.self, from: input) } catch {
            try store.transition(id, to: .failedDriver)
            throw SkyletError.badInput("the driver of job \(id) got no job description on stdin.")
        }
        let cluster: ClusterSpec
        do { cluster = try ClusterFile.load(paths) } catch {
            try store.transition(id, to: .failedDriver)
            throw error
        }
        let driver = JobDriver(paths: paths, store: store, cluster: cluster, jobID: id)
        signal(SIGTERM, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler { driver.stop() }
        source.resume()
        defer { source.cancel() }
        return try driver.run(spec: spec)
    }

    package func queue(skipFinished: Bool) throws -> [JobRecord] {
        let rows = try openStore().all()
        return rows.filter { !skipFinished || !$0.jobStatus.isTerminal }.map(\.record)
    }

    package func status(_ ids: [Int]) throws -> [Int: JobStatus] {
        let store = try openStore()
        var result: [Int: JobStatus] = [:]
        for id in ids {
            if let row = try store.job(id) { result[id] = row.jobStatus }
        }
        return result
    }

    /// The id of the latest job, if any.
    package func latestJobID() throws -> Int? {
        try openStore().all().last?.jobID
    }

    package func writeCluster(specJSON: Data) throws {
        try ClusterFile.save(try Self.decodeCluster(specJSON), paths)
    }

    /// A ClusterSpec from JSON (the engine's input on stdin).
    package static func decodeCluster(_ specJSON: Data) throws -> ClusterSpec {
        do { return try JSONDecoder().decode(ClusterSpec.self, from: specJSON) } catch {
            throw SkyletError.badInput("the cluster description is not valid JSON: \(error)")
        }
    }

    /// Sets (or with `idleMinutes < 0`, cancels) autostop in cluster.json; the daemon picks it
    /// up on its next check and restarts the idle clock.
    package func setAutostop(idleMinutes: Int, down: Bool, waitFor: String) throws {
        var spec = try ClusterFile.load(paths)
        spec.autostop =
            idleMinutes < 0 ? nil : .init(idleMinutes: idleMinutes, down: down, waitFor: waitFor)
        try ClusterFile.save(spec, paths)
    }

    /// The marker the daemon wrote when autostop fired, as raw JSON, or nil.
    package func autostopMarker() -> Data? {
        FileManager.default.contents(atPath: paths.autostopMarker)
    }
}
