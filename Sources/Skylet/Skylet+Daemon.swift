import Foundation
import SkyCore

extension Skylet {
    /// `skylet daemon`: starts the daemon unless it runs; returns its pid.
    package func startDaemon() throws -> Int32 {
        try Daemon(skylet: self).ensureRunning()
    }

    /// `skylet start`: the launch's whole set-up in one call: `prepare`, then `ensureDaemon`.
    /// Returns the daemon's pid (0: none yet).
    package func start(cluster: ClusterSpec, expectedSHA256: String?) throws -> Int32 {
        try prepare(cluster: cluster, expectedSHA256: expectedSHA256)
        return try ensureDaemon(cluster)
    }

    /// Refuses (`SkyletError.outdated`) when this binary is not the build the engine has
    /// (`expectedSHA256`, checked against the `.sha256` file installed beside it), else writes
    /// the cluster description.
    package func prepare(cluster: ClusterSpec, expectedSHA256: String?) throws {
        if let expectedSHA256 {
            let path = ProcessTable.selfExecutable() + ".sha256"
            let installed = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard installed == expectedSHA256 else {
                throw SkyletError.outdated(installed: installed, expected: expectedSHA256)
            }
        }
        try ClusterFile.save(cluster, paths)
    }

    /// Starts the daemon unless it runs (not waiting for it to start) or is started elsewhere
    /// (`ClusterSpec.daemonStartsDrivers`); returns its pid (0: none yet). `afterJobStart`:
    /// a job's driver was just started; the daemon (nothing of which the job needs at once)
    /// starts half a second later, so the two do not compete for the node's CPUs.
    package func ensureDaemon(_ cluster: ClusterSpec, afterJobStart: Bool = false) throws -> Int32 {
        let daemon = Daemon(skylet: self)
        // A daemon that starts the drivers runs where they outlive this call (the Slurm batch
        // step starts it); one started from here would take them down when this call ends.
        if cluster.daemonStartsDrivers == true {
            return daemon.runningPID() ?? 0
        }
        return try daemon.ensureRunning(wait: false, delay: afterJobStart ? 0.5 : 0)
    }

    /// `skylet daemon --foreground`: the daemon loop itself.
    package func runDaemon() throws {
        try Daemon(skylet: self).runForeground()
    }

    package func daemonPID() -> Int32? {
        Daemon(skylet: self).runningPID()
    }

    /// `skylet teardown`: cancels every unfinished job (killing its processes on every node)
    /// and stops the daemon. Used before a cluster is stopped or taken down.
    package func teardown() throws -> CancelResult {
        // A daemon `start` started with a delay may not run yet: the marker keeps it from it.
        if FileManager.default.fileExists(atPath: paths.stateDir) {
            try? AtomicFile.write("", to: paths.daemonStopped, permissions: 0o600)
        }
        Daemon(skylet: self).stop()
        if !FileManager.default.fileExists(atPath: paths.jobsDB) {
            return CancelResult(cancelled: [], alreadyTerminal: [], notFound: [])
        }
        return try cancel(ids: [], all: true)
    }

    /// `skylet logs`: streams job `jobID`'s log (nil = the latest job) to `emit`.
    package func logs(
        jobID: Int?, follow: Bool, tail: Int?, worker: Int?, emit: (String) -> Void
    ) throws -> JobStatus {
        let store = try openStore()
        guard let id = try jobID ?? store.all().last?.jobID else {
            throw SkyletError.badInput("there are no jobs on this cluster yet.")
        }
        return try LogTailer(store: store, paths: paths).stream(
            jobID: id, follow: follow, tail: tail, worker: worker, emit: emit)
    }
}
