import Foundation
import Glibc
import SkyCore
import Synchronization

/// The per-job driver (`skylet run-job ID`, detached in its own session): waits for the
/// scheduler to grant resources, runs setup on every cluster node (when the job has one), then
/// run on the job's nodes, records the final status, and starts the next waiting job.
/// SIGTERM (from `skylet cancel`) kills the job's processes on every node.
final class JobDriver: Sendable {
    private let paths: SkyletPaths
    private let store: JobStore
    private let cluster: ClusterSpec
    private let jobID: Int
    private let current = Mutex<PhaseRunner?>(nil)
    private let stopping = Mutex(false)

    init(paths: SkyletPaths, store: JobStore, cluster: ClusterSpec, jobID: Int) {
        self.paths = paths
        self.store = store
        self.cluster = cluster
        self.jobID = jobID
    }

    /// Called from the SIGTERM handler.
    func stop() {
        stopping.withLock { $0 = true }
        current.withLock { $0 }?.killAll()
    }

    private var isStopping: Bool { stopping.withLock { $0 } }

    func run(spec: JobSpec) throws -> Int32 {
        let pid = getpid()
        try store.update(jobID) { row in
            row.driverPID = pid
            if row.jobStatus == .initializing { row.status = JobStatus.pending.rawValue }
        }
        guard let (row, allocation) = try waitForResources() else { return 0 }
        defer { _ = try? store.schedule(cluster: cluster) }
        let env = JobEnvironment(
            spec: spec, cluster: cluster, jobID: jobID, runTimestamp: row.runTimestamp)
        let sink = try LogSink(
            dir: paths.expand(row.logPath),
            nodeNames: Dictionary(
                uniqueKeysWithValues: (0..<max(
                    spec.numNodes, spec.setup == nil ? 1 : cluster.nodes.count)).map {
                        ($0, $0 == 0 ? "head" : "worker\($0)")
                    }),
            secrets: Redactor.hiddenValues(
                secrets: spec.secrets.compactMap(JobEnvironment.pair),
                envs: spec.envs.compactMap(JobEnvironment.pair)))
        defer { sink.close() }
        let base = ProcessInfo.processInfo.environment

        if let setup = spec.setup, !setup.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            guard try store.transition(jobID, to: .settingUp) else { return 0 }
            let nodes = cluster.nodes.indices.map { rank in
                phaseNode(
                    rank: rank, phaseNodes: cluster.nodes[...], env: env.setup(rank: rank),
                    script: setup, workdir: spec.workdir, row: row, phase: "setup")
            }
            let (codes, failedRank) = runPhase(nodes, sink: sink, base: base)
            if isStopping { return 0 }
            if let failedRank, let code = codes[failedRank] {
                sink.note(
                    "ERROR: Job \(jobID)'s setup failed with return code \(code) on node \(failedRank)."
                )
                try store.transition(jobID, to: .failedSetup, exitCode: code)
                return code
            }
        }
        guard try store.transition(jobID, to: .running) else { return 0 }
        guard let run = spec.run, !run.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            try store.transition(jobID, to: .succeeded, exitCode: 0)
            return 0
        }
        let nodes = (0..<spec.numNodes).map { rank in
            phaseNode(
                rank: rank, phaseNodes: cluster.nodes.prefix(spec.numNodes),
                env: env.run(
                    rank: rank, gpus: allocation.nodes.first { $0.rank == rank }?.gpus ?? []),
                script: run, workdir: spec.workdir, row: row, phase: "run")
        }
        let (codes, failedRank) = runPhase(nodes, sink: sink, base: base)
        if isStopping { return 0 }
        if let failedRank, let code = codes[failedRank] {
            sink.note("ERROR: Job \(jobID) failed with return code \(code) on node \(failedRank).")
            try store.transition(jobID, to: .failed, exitCode: code)
            return code
        }
        try store.transition(jobID, to: .succeeded, exitCode: 0)
        return 0
    }

    /// Runs one phase on `nodes`; returns every node's exit code and the node that failed
    /// first (the others were then killed), if any.
    private func runPhase(_ nodes: [PhaseRunner.Node], sink: LogSink, base: [String: String])
        -> ([Int: Int32], Int?)
    {
        let runner = PhaseRunner(nodes: nodes, sink: sink, baseEnvironment: base) {
            [store, jobID] rank, sid in
            try? store.recordNodeGroup(jobID, rank: rank, pgid: sid)
        }
        current.withLock { $0 = runner }
        if isStopping { runner.killAll() }
        let codes = runner.run()
        current.withLock { $0 = nil }
        let failed =
            runner.failedRank ?? codes.sorted { $0.key < $1.key }.first { $0.value != 0 }?.key
        return (codes, failed)
    }

    /// Node `rank`'s part of `phase` (`setup` or `run`); on Slurm its step is named
    /// `sky-job<id>-<phase>`, so `squeue -s` and `sacct` show which job each step is.
    /// `phaseNodes`: the nodes the phase runs on (rank order).
    private func phaseNode(
        rank: Int, phaseNodes: ArraySlice<NodeEndpoint>, env: [(String, String)],
        script: String, workdir: String, row: JobRow, phase: String
    ) -> PhaseRunner.Node {
        let scriptName = "\(row.runTimestamp)-job\(jobID)-\(phase)-\(rank).sh"
        let target = NodeTarget(
            rank: rank, endpoint: cluster.nodes[rank], paths: paths, cluster: cluster,
            stepName: "sky-job\(jobID)-\(phase)")
        let prefix =
            rank == 0
            ? "(head, rank=0)" : "(worker\(rank), rank=\(rank), ip=\(cluster.nodes[rank].ip))"
        let payload = NodePayload.script(
            environment: env, workdir: workdir, userScript: script, scriptName: scriptName,
            prelude: target.stepHome == nil
                ? [] : SlurmStep.prelude(nodes: phaseNodes.map(SlurmStep.nodeName), rank: rank),
            reportsSession: target.stepHome == nil)
        return PhaseRunner.Node(
            target: target, payload: payload, prefix: prefix,
            sessionFile: target.stepHome.map {
                NodePayload.sessionFile(home: $0, scriptName: scriptName)
            })
    }

    /// Polls until the scheduler grants this job resources; nil when it ended meanwhile
    /// (cancelled). Submit usually granted them already; otherwise this runs a scheduling
    /// pass at once and then every second (finishing jobs run one too).
    private func waitForResources() throws -> (JobRow, Allocation)? {
        var lastPass: Date?
        while true {
            guard let row = try store.job(jobID) else { throw SkyletError.jobNotFound(jobID) }
            if row.jobStatus.isTerminal || isStopping { return nil }
            if let allocation = row.decodedAllocation { return (row, allocation) }
            if let last = lastPass, Date().timeIntervalSince(last) < 1 {
                usleep(100_000)
                continue
            }
            try store.schedule(cluster: cluster)
            lastPass = Date()
        }
    }
}
