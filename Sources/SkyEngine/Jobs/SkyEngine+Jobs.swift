import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import SkyState

/// `sky exec`, `sky queue`, `sky logs`, `sky cancel`: everything that talks to a running
/// cluster's job queue through its head node's skylet.
extension SkyEngine {
    /// An UP cluster ready for job commands.
    struct JobCluster {
        let name: String
        let record: ClusterRecord
        let runners: [any CommandRunner]
        var head: any CommandRunner { runners[0] }
        var client: SkyletClient { SkyletClient(runner: runners[0]) }
    }

    /// The runners of an UP cluster (head first).
    func jobCluster(_ name: String, backends: EngineBackends? = nil) async throws -> JobCluster {
        let engineBackends: EngineBackends
        if let backends {
            engineBackends = backends
        } else {
            engineBackends = await self.backends()
        }
        guard let record = try await engineBackends.store.cluster(named: name) else {
            throw JobsError.clusterNotFound(name)
        }
        guard record.status == .up else {
            throw JobsError.clusterNotUp(name, status: record.status.rawValue)
        }
        guard let handle = ClusterHandle.decode(record.handle), let info = handle.info,
            let provisioner = await engineBackends.provisioner(handle.cloud)
        else {
            throw JobsError.clusterNotUp(
                name, status: "\(record.status.rawValue) (no node information)")
        }
        let runners = engineBackends.runners(provisioner, info: info)
        guard !runners.isEmpty else { throw JobsError.clusterNotUp(name, status: "without nodes") }
        return JobCluster(name: name, record: record, runners: runners)
    }

    /// `sky exec`: syncs the workdir to every node, submits the task's run as a job (no setup,
    /// no provisioning) and, unless `detach`, streams its log until it ends.
    package func exec(
        _ task: Task, cluster name: String, detach: Bool, output: LaunchOutput = LaunchOutput()
    ) async throws -> LaunchResult {
        let cluster = try await jobCluster(name)
        let runtime = SkyletRuntime(engineEnvironment: environment, task: task)
        if let workdir = task.workdir {
            output.progress("Syncing workdir to \(cluster.runners.count) node(s) ...")
            var syncTask = Task()
            syncTask.workdir = workdir
            syncTask.envs = task.envs
            syncTask.secrets = task.secrets
            try await runtime.sync(task: syncTask, runners: cluster.runners)
        }
        let me = user
        let job = JobSpecFactory.make(
            task: task, userName: me.name, userHash: me.hash, includeSetup: false)
        let (jobID, status) = try await runtime.run(
            head: cluster.head, job: job, detach: detach,
            onSubmitted: { output.jobSubmitted($0, cluster: name, following: !detach) },
            onLine: output.log)
        return LaunchResult(clusterName: name, jobID: jobID, jobStatus: status, failoverHistory: [])
    }

    /// One cluster's queue, or why it could not be read.
    package struct ClusterQueue: Sendable {
        package var cluster: String
        package var jobs: [JobRecord]
        package var error: String?
    }

    /// `sky queue`: the jobs of the named clusters (globs allowed; default: every UP cluster).
    /// Without `allUsers` only the current user's jobs are listed.
    package func queue(_ patterns: [String], skipFinished: Bool, allUsers: Bool) async throws
        -> [ClusterQueue]
    {
        let backends = await backends()
        let records = try await backends.store.clusters()
        var names: [String]
        if patterns.isEmpty {
            names = records.filter { $0.status == .up }.map(\.name)
        } else {
            names = []
            for pattern in patterns {
                let found = records.filter { Self.matches($0.name, [pattern]) }.map(\.name)
                guard !found.isEmpty else { throw JobsError.clusterNotFound(pattern) }
                names += found.filter { !names.contains($0) }
            }
        }
        let myHash = user.hash
        return await withTaskGroup(of: ClusterQueue.self) { group in
            for name in names {
                group.addTask {
                    do {
                        let cluster = try await self.jobCluster(name, backends: backends)
                        var jobs = try await cluster.client.queue(skipFinished: skipFinished)
                        if !allUsers { jobs = jobs.filter { $0.userHash == myHash } }
                        return ClusterQueue(cluster: name, jobs: jobs.reversed(), error: nil)
                    } catch {
                        return ClusterQueue(cluster: name, jobs: [], error: "\(error)")
                    }
                }
            }
            var out: [ClusterQueue] = []
            for await queue in group { out.append(queue) }
            return names.compactMap { name in out.first { $0.cluster == name } }
        }
    }

    /// `sky queue -o json`: `{cluster: [job records]}` (reference 3.5).
    package static func queueJSON(_ queues: [ClusterQueue]) -> String {
        var object: [(String, JSONValue)] = []
        let encoder = JSONEncoder()
        for queue in queues where queue.error == nil {
            let data = (try? encoder.encode(queue.jobs)) ?? Data("[]".utf8)
            object.append((queue.cluster, (try? JSONValue.parse(data)) ?? .array([])))
        }
        return JSONValue.object(object).encoded(sortedKeys: false, pretty: true)
    }

    /// `sky logs`: streams a job's log (nil = the latest job); returns its status when the
    /// stream ended (with `follow`, the job has finished).
    package func logs(
        cluster name: String, jobID: Int?, follow: Bool, tail: Int?, worker: Int?,
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> JobStatus {
        let cluster = try await jobCluster(name)
        let statuses = try await cluster.client.status(jobID.map { [$0] } ?? [])
        guard let id = jobID ?? statuses.keys.first, statuses[id] != nil else {
            if let jobID { throw JobsError.jobNotFound(cluster: name, jobID: jobID) }
            throw JobsError.noJobs(name)
        }
        return try await cluster.client.streamLogs(
            jobID: id, follow: follow, tail: tail, worker: worker, onLine: onLine)
    }

    /// `sky logs --status`: each job's status (nil = not found); empty `jobIDs` = the latest.
    package func jobStatuses(cluster name: String, jobIDs: [Int]) async throws -> [(
        Int?, JobStatus?
    )] {
        let cluster = try await jobCluster(name)
        let statuses = try await cluster.client.status(jobIDs)
        if jobIDs.isEmpty {
            guard let (id, status) = statuses.first else { return [(nil, nil)] }
            return [(id, status)]
        }
        return jobIDs.map { ($0, statuses[$0]) }
    }

    /// `sky logs --sync-down`: copies the jobs' log directories from the head to
    /// `~/sky_logs/<run timestamp>/` here; returns (job id, local path).
    package func syncDownLogs(cluster name: String, jobIDs: [Int]) async throws -> [(Int, String)] {
        let cluster = try await jobCluster(name)
        let jobs = try await cluster.client.queue()
        var wanted = jobs.filter { jobIDs.contains($0.jobID) }
        if jobIDs.isEmpty, let last = jobs.max(by: { $0.jobID < $1.jobID }) { wanted = [last] }
        for id in jobIDs where !jobs.contains(where: { $0.jobID == id }) {
            throw JobsError.jobNotFound(cluster: name, jobID: id)
        }
        var out: [(Int, String)] = []
        for job in wanted {
            let leaf = (job.logPath as NSString).lastPathComponent
            let local = userHome + "/sky_logs/" + leaf
            try FileManager.default.createDirectory(
                atPath: local, withIntermediateDirectories: true)
            try await cluster.head.download(job.logPath + "/", to: local + "/")
            out.append((job.jobID, local))
        }
        return out
    }

    /// `sky cancel`: `jobIDs`, or with `all` every unfinished job of the current user (of
    /// every user with `allUsers`); with neither, the current user's latest unfinished job.
    package func cancel(cluster name: String, jobIDs: [Int], all: Bool, allUsers: Bool)
        async throws -> SkyletClient.CancelResult
    {
        let cluster = try await jobCluster(name)
        let client = cluster.client
        if allUsers { return try await client.cancel(jobIDs: [], all: true) }
        if !jobIDs.isEmpty { return try await client.cancel(jobIDs: jobIDs, all: false) }
        let myHash = user.hash
        let mine = try await client.queue(skipFinished: true).filter { $0.userHash == myHash }
        let ids = all ? mine.map(\.jobID) : mine.map(\.jobID).suffix(1)
        guard !ids.isEmpty else {
            return SkyletClient.CancelResult(cancelled: [], alreadyTerminal: [], notFound: [])
        }
        return try await client.cancel(jobIDs: Array(ids), all: false)
    }
}
