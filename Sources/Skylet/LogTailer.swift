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
        var reader = Reader(path: file)
        defer { reader.close() }
        // Lines as a terminal shows them: a progress bar's "\r" segments come through as
        // they are written (`LineSplitter`).
        var splitter = LineSplitter(carriageReturns: true)
        var first = true
        func emitLines(_ chunk: Data, final: Bool) {
            var text: [String] = []
            splitter.feed(chunk) { text.append($0) }
            if final { splitter.finish { text.append($0) } }
            if first, let tail { text = Array(text.suffix(max(0, tail))) }
            first = false
            text.forEach(emit)
        }
        guard follow else {
            let status = (try store.job(jobID))?.jobStatus ?? row.jobStatus
            emitLines(reader.readMore(), final: true)
            return status
        }
        // Wake when the log's folder or the job table changes (the driver writes the log, then
        // records the job's end), looking again at least every 100 ms; without inotify, poll
        // every 5 ms while the job starts, then every 20 ms. The job's status is read only when
        // the log had nothing new: the driver ends the log before it records the end, so one
        // more read after a final status drains it.
        let changes = ChangeWaiter(directories: [dir, paths.stateDir])
        let quickUntil = Date().addingTimeInterval(2)
        // `tail` applies to what the log held when the follow began, even when that is nothing.
        emitLines(reader.readMore(), final: false)
        while true {
            let chunk = reader.readMore()
            if !chunk.isEmpty {
                emitLines(chunk, final: false)
                usleep(2_000)
                continue
            }
            let status = (try store.job(jobID))?.jobStatus ?? row.jobStatus
            if status.isTerminal {
                emitLines(reader.readMore(), final: true)
                return status
            }
            changes.wait(
                timeoutMilliseconds: 100, fallbackMilliseconds: Date() < quickUntil ? 5 : 20)
        }
    }

    /// Reads a growing file from where it stopped (opened once it exists).
    private struct Reader {
        let path: String
        var fd: Int32 = -1

        init(path: String) { self.path = path }

        mutating func readMore() -> Data {
            if fd < 0 { fd = open(path, O_RDONLY | O_CLOEXEC) }
            // Up to the file's current end (a regular file reads 0 there, not a block).
            return fd >= 0 ? FDIO.readAll(fd) : Data()
        }

        mutating func close() {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }
}
