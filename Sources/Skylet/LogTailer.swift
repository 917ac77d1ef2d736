import Foundation
import Glibc
import SkyCore

/// `skylet logs`: prints a job's log (the combined `run.log`, or one node's log with
/// `--worker`), optionally only its last lines, and with `follow` keeps printing until the job
/// has finished and its log is drained.
struct LogTailer {
    let store: JobStore
    let paths: SkyletPaths

    /// Streams lines to `emit`; returns the job's status when it stopped.
    func stream(
        jobID: Int, follow: Bool, tail: Int?, worker: Int?, emit: (String) -> Void
    ) throws -> JobStatus {
        guard let row = try store.job(jobID) else { throw SkyletError.jobNotFound(jobID) }
        let dir = paths.expand(row.logPath)
        var file = dir + "/run.log"
        if let worker, row.numNodes > 1 {
            guard worker >= 0 && worker < row.numNodes else {
                throw SkyletError.badInput(
                    "job \(jobID) has nodes 0 to \(row.numNodes - 1); there is no worker \(worker)."
                )
            }
            file = dir + "/" + LogSink.nodeLogName(rank: worker)
        }
        var offset: UInt64 = 0
        var pending = Data()
        var first = true
        // Poll every 5 ms while the job starts (its first line reaches the user sooner), then
        // every 20 ms when nothing came.
        let quickUntil = Date().addingTimeInterval(2)
        while true {
            let status = (try store.job(jobID))?.jobStatus ?? row.jobStatus
            var chunk = Data()
            if let handle = FileHandle(forReadingAtPath: file) {
                try? handle.seek(toOffset: offset)
                chunk = (try? handle.readToEnd()) ?? Data()
                try? handle.close()
                offset += UInt64(chunk.count)
            }
            pending.append(chunk)
            var lines = pending.split(
                separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            pending = Data(lines.removeLast())
            var text = lines.map { String(decoding: $0, as: UTF8.self) }
            if first, let tail { text = Array(text.suffix(max(0, tail))) }
            first = false
            text.forEach(emit)
            if !follow || status.isTerminal {
                if !pending.isEmpty { emit(String(decoding: pending, as: UTF8.self)) }
                return status
            }
            usleep(!chunk.isEmpty ? 2_000 : Date() < quickUntil ? 5_000 : 20_000)
        }
    }
}
