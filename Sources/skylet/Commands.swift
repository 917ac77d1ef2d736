import ArgumentParser
import Foundation
import SkyCore
import Skylet

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the skylet version.")
    func run() throws {
        try printJSON(["version": Skylet.version])
    }
}

struct WriteCluster: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-cluster",
        abstract: "Write ~/.sky/skylet/cluster.json from a ClusterSpec JSON on stdin.")
    func run() throws {
        try reportingErrors { try Skylet().writeCluster(specJSON: readStdin()) }
    }
}

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Queue a job: JobSpec JSON on stdin; prints {\"job_id\": N}.")
    @Flag(help: "Then stream the job's log until it ends, with a status line for the engine.")
    var follow = false
    func run() throws {
        try reportingErrors { try submitJob(Skylet(), specJSON: readStdin(), follow: follow) }
    }
}

/// Submits a job and prints `{"job_id": N}`; with `follow`, then streams its log with the
/// engine's status line, and a refusal is printed on stdout too (a stream carries stdout only).
func submitJob(_ skylet: Skylet, specJSON: Data, follow: Bool) throws {
    try reportSubmitted(skylet, Result { try skylet.submit(specJSON: specJSON) }, follow: follow)
}

/// Prints a submission's reply: `{"job_id": N}` and, with `follow`, the job's log and status
/// line; a failed submission as an error line (with `follow`) and the error.
func reportSubmitted(_ skylet: Skylet, _ submitted: Result<Int, any Error>, follow: Bool) throws {
    let id: Int
    do { id = try submitted.get() } catch {
        if follow { printLine(SkyletWire.errorMarker + "\(error)") }
        throw error
    }
    try printJSON(["job_id": id])
    if follow {
        try streamLog(skylet, jobID: id, follow: true, tail: nil, worker: nil, statusMarker: true)
    }
}

struct Queue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "List the jobs of this cluster.")
    @Option(name: .shortAndLong, help: "Output format: table or json.") var output = "table"
    @Flag(name: [.short, .long], help: "Only unfinished jobs.") var skipFinished = false
    func run() throws {
        try reportingErrors {
            let jobs = try Skylet().queue(skipFinished: skipFinished)
            if output == "json" {
                try printJSON(jobs)
                return
            }
            print("ID  NAME  USER  SUBMITTED  STATUS  RESOURCES  LOG")
            for job in jobs {
                print(
                    "\(job.jobID)  \(job.jobName ?? "-")  \(job.username)  \(Int(job.submittedAt))  \(job.status.rawValue)  \(job.resources)  \(job.logPath)"
                )
            }
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Print the status of jobs as JSON {\"id\": \"STATUS\"} (missing ids are left out).")
    @Argument(help: "Job ids (default: the latest job).") var ids: [Int] = []
    func run() throws {
        try reportingErrors {
            let skylet = Skylet()
            var ids = ids
            if ids.isEmpty, let latest = try skylet.latestJobID() { ids = [latest] }
            let statuses = try skylet.status(ids)
            try printJSON(
                Dictionary(
                    uniqueKeysWithValues: statuses.map { (String($0.key), $0.value.rawValue) }))
        }
    }
}

struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel jobs and kill their processes on every node.")
    @Argument(help: "Job ids.") var ids: [Int] = []
    @Flag(name: .shortAndLong, help: "Cancel every unfinished job.") var all = false
    func validate() throws {
        if ids.isEmpty && !all { throw ValidationError("Name job ids or pass --all.") }
    }
    func run() throws {
        try reportingErrors { try printJSON(try Skylet().cancel(ids: ids, all: all)) }
    }
}

struct Logs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a job's log; with --follow, until the job ends.")
    @Argument(help: "Job id (default: the latest job).") var id: Int?
    @Flag(inversion: .prefixedNo, help: "Keep streaming until the job finishes.") var follow = true
    @Option(help: "Only the last N lines.") var tail: Int?
    @Option(name: .shortAndLong, help: "Only node N's log (0 = head).") var worker: Int?
    @Flag(help: "End with a status line for the engine.") var statusMarker = false
    func run() throws {
        try reportingErrors {
            try streamLog(
                Skylet(), jobID: id, follow: follow, tail: tail, worker: worker,
                statusMarker: statusMarker)
        }
    }
}

/// Streams a job's log to stdout (`skylet logs`, `skylet submit --follow`); with
/// `statusMarker`, ends with the engine's status line.
func streamLog(
    _ skylet: Skylet, jobID: Int?, follow: Bool, tail: Int?, worker: Int?, statusMarker: Bool
) throws {
    let status = try skylet.logs(jobID: jobID, follow: follow, tail: tail, worker: worker) { line in
        // The reader went away (Ctrl-C on the client): stop quietly.
        let text = LineSplitter.terminated(line)
        do { try FileHandle.standardOutput.write(contentsOf: Data(text.utf8)) } catch {
            Foundation.exit(0)
        }
    }
    if statusMarker {
        try? FileHandle.standardOutput.write(
            contentsOf: Data((SkyletWire.statusMarker + status.rawValue + "\n").utf8))
    }
}

struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Start the daemon unless it runs (scheduling, dead drivers, autostop).")
    @Flag(help: "Run the daemon loop in this process.") var foreground = false
    func run() throws {
        try reportingErrors {
            let skylet = Skylet()
            if foreground {
                try skylet.runDaemon()
            } else {
                try printJSON(["pid": try skylet.startDaemon()])
            }
        }
    }
}

struct SetAutostop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-autostop", abstract: "Set or cancel autostop in cluster.json.")
    @Option(help: "Idle minutes before autostop; -1 cancels.") var idleMinutes: Int
    @Flag(help: "Tear down instead of stopping.") var down = false
    @Option(help: "jobs_and_ssh, jobs or none.") var waitFor = "jobs_and_ssh"
    func run() throws {
        try reportingErrors {
            try Skylet().setAutostop(idleMinutes: idleMinutes, down: down, waitFor: waitFor)
        }
    }
}

struct AutostopState: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autostop-state",
        abstract: "Print the autostop marker ({\"action\", \"at\"}) or null.")
    func run() throws {
        let data = Skylet().autostopMarker()
        print(
            data.map {
                String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            } ?? "null")
    }
}

struct Teardown: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teardown",
        abstract: "Cancel every job (killing its processes) and stop the daemon.")
    func run() throws {
        try reportingErrors { try printJSON(try Skylet().teardown()) }
    }
}

struct RunJob: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-job", abstract: "Internal: the driver of one job (spec on stdin).",
        shouldDisplay: false)
    @Argument var id: Int
    func run() throws { try Self.perform(id: id) }

    /// The command's body (also run by `FastPath`).
    static func perform(id: Int) throws {
        try reportingErrors {
            let code = try Skylet().runJob(id)
            if code != 0 { throw ExitCode(code) }
        }
    }
}
