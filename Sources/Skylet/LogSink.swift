import Foundation
import Glibc
import SkyCore
import Synchronization

/// Writes a job's output as SkyPilot lays it out under `~/sky_logs/<run timestamp>/`:
/// `run.log` for a single node; for several nodes, `<rank>-head.log` / `<rank>-worker<rank>.log`
/// per node plus `run.log` with every line prefixed `(head, rank=0, pid=N)` /
/// `(worker1, rank=1, pid=N, ip=IP)`. Secret values are replaced by `<redacted>` in every line.
final class LogSink: Sendable {
    private struct Files {
        var combined: FileHandle?
        var perNode: [Int: FileHandle]
    }

    private let dir: String
    private let multiNode: Bool
    private let secrets: [String]
    private let files: Mutex<Files>

    init(dir: String, nodeNames: [Int: String], secrets: [String]) throws {
        self.dir = dir
        self.multiNode = nodeNames.count > 1
        self.secrets = secrets
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func open(_ name: String) throws -> FileHandle {
            let path = dir + "/" + name
            let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw SkyletError.io("Could not open the log file \(path).") }
            return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        }
        var perNode: [Int: FileHandle] = [:]
        if multiNode {
            for (rank, name) in nodeNames { perNode[rank] = try open("\(rank)-\(name).log") }
        }
        files = Mutex(Files(combined: try open("run.log"), perNode: perNode))
    }

    static func nodeLogName(rank: Int) -> String {
        rank == 0 ? "0-head.log" : "\(rank)-worker\(rank).log"
    }

    func redact(_ line: String) -> String {
        Redactor.redact(line, secrets: secrets)
    }

    /// Appends one line of node `rank`'s output (a progress bar's "\r" segment stays one:
    /// `LineSplitter`).
    func write(rank: Int, prefix: String, line: String) {
        if NodePayload.isShellNoise(line) { return }
        let clean = LineSplitter.terminated(redact(line))
        files.withLock { files in
            if multiNode {
                try? files.perNode[rank]?.write(contentsOf: Data(clean.utf8))
                try? files.combined?.write(contentsOf: Data((prefix + " " + clean).utf8))
            } else {
                try? files.combined?.write(contentsOf: Data(clean.utf8))
            }
        }
    }

    /// Appends a line from the skylet itself (not from a node) to the combined log.
    func note(_ line: String) {
        let clean = redact(line)
        files.withLock { try? $0.combined?.write(contentsOf: Data((clean + "\n").utf8)) }
    }

    func close() {
        files.withLock { files in
            try? files.combined?.close()
            for handle in files.perNode.values { try? handle.close() }
            files.combined = nil
            files.perNode = [:]
        }
    }
}
