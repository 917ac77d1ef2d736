import Foundation
import SkyCore

extension Skylet {
    /// `skylet daemon`: starts the daemon unless it runs; returns its pid.
    package func startDaemon() throws -> Int32 {
        try Daemon(skylet: self).ensureRunning()
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

    package static var logStatusMarker: String { LogTailer.statusMarker }
}
