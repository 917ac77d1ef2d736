import ArgumentParser
import Foundation
import SkyCore
import SkyEngine

struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Show the job queue of clusters.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Cluster names; glob patterns allowed. Default: all UP clusters.")
    var clusters: [String] = []

    @Flag(
        name: [.customShort("s"), .customLong("skip-finished")], help: "Show only unfinished jobs.")
    var skipFinished = false

    @Flag(name: [.customShort("u"), .customLong("all-users")], help: "Show jobs of every user.")
    var allUsers = false

    func run() async throws {
        let queues = try await global.engine().queue(
            clusters, skipFinished: skipFinished, allUsers: allUsers)
        if output.isJSON {
            Console.print(SkyEngine.queueJSON(queues))
        } else {
            for (index, queue) in queues.enumerated() {
                if index > 0 { Console.print() }
                Console.print(
                    "Job queue of \(allUsers ? "all users" : "current user") on cluster \(queue.cluster)"
                )
                if let error = queue.error {
                    Console.print("  \(error)")
                    continue
                }
                Console.print(Self.table(queue.jobs), terminator: "")
            }
            if queues.isEmpty { Console.print("No UP clusters.") }
        }
        if queues.contains(where: { $0.error != nil }) && !clusters.isEmpty { throw ExitCode(1) }
    }

    static func table(_ jobs: [JobRecord]) -> String {
        let now = Date().timeIntervalSince1970
        let header = [
            "ID", "NAME", "USER", "SUBMITTED", "STARTED", "DURATION", "RESOURCES", "STATUS", "LOG",
        ]
        let rows = jobs.map { job -> [String] in
            let end = job.endAt ?? now
            let duration = job.startAt.map { Self.duration(end - $0) } ?? "-"
            return [
                String(job.jobID), job.jobName ?? "-", job.username,
                Self.ago(now - job.submittedAt),
                job.startAt.map { Self.ago(now - $0) } ?? "-", duration, job.resources,
                job.status.rawValue, job.logPath,
            ]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1
                    ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    static func ago(_ seconds: Double) -> String { duration(seconds) + " ago" }

    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        if s < 86400 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        return "\(s / 86400)d \(s % 86400 / 3600)h"
    }
}
