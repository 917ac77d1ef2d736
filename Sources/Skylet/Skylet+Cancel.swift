import Foundation
import Glibc
import SkyCore

extension Skylet {
    /// Outcome of `skylet cancel`.
    package struct CancelResult: Codable, Sendable {
        package var cancelled: [Int]
        /// Ids that were already finished.
        package var alreadyTerminal: [Int]
        package var notFound: [Int]
    }

    /// Cancels jobs (all unfinished ones with `all`): marks them CANCELLED, stops their
    /// drivers and kills their processes on every node. Returns once nothing is left running.
    package func cancel(ids: [Int], all: Bool) throws -> CancelResult {
        let store = try openStore()
        var result = CancelResult(cancelled: [], alreadyTerminal: [], notFound: [])
        var rows: [JobRow] = []
        if all {
            rows = try store.nonTerminal()
        } else {
            for id in ids {
                guard let row = try store.job(id) else {
                    result.notFound.append(id)
                    continue
                }
                if row.jobStatus.isTerminal {
                    result.alreadyTerminal.append(id)
                } else {
                    rows.append(row)
                }
            }
        }
        var toStop: [JobRow] = []
        for row in rows {
            if try store.transition(row.jobID, to: .cancelled) {
                result.cancelled.append(row.jobID)
                toStop.append(row)
            } else {
                result.alreadyTerminal.append(row.jobID)
            }
        }
        let cluster = try? ClusterFile.load(paths)
        let group = DispatchGroup()
        for row in toStop {
            group.enter()
            BlockingThread.start("skylet-stop\(row.jobID)") {
                stopProcesses(of: row.jobID, store: store, cluster: cluster)
                group.leave()
            }
        }
        group.wait()
        return result
    }

    /// Stops the driver of a job (SIGTERM, which kills the job's sessions on every node), waits
    /// for it, then kills whatever session of the job is still recorded (driver gone).
    func stopProcesses(of jobID: Int, store: JobStore, cluster: ClusterSpec?) {
        if let pid = (try? store.job(jobID))?.driverPID,
            ProcessTable.isSkylet(pid, subcommand: "run-job")
        {
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(20)
            while ProcessTable.isAlive(pid) && Date() < deadline { usleep(20_000) }
            if ProcessTable.isAlive(pid) { kill(pid, SIGKILL) }
        }
        guard let cluster, let row = try? store.job(jobID) else { return }
        let group = DispatchGroup()
        for (rank, sid) in row.decodedNodeGroups where rank < cluster.nodes.count {
            let target = NodeTarget(
                rank: rank, endpoint: cluster.nodes[rank], paths: paths, cluster: cluster)
            group.enter()
            BlockingThread.start("skylet-kill\(rank)") {
                target.killSession(sid, base: environment, graceSeconds: 1)
                group.leave()
            }
        }
        group.wait()
    }
}
