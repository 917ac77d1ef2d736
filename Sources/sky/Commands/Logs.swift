import ArgumentParser
import Foundation
import SkyCore
import SkyEngine

struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show or follow the logs of a job on a cluster.",
        discussion: """
            With --status prints 'Job <id>: <STATUS>' and exits 0 SUCCEEDED, 100 FAILED, \
            101 NOT_FINISHED, 102 NOT_FOUND, 103 CANCELLED.
            """)

    @OptionGroup var global: BaseOptions

    @Argument(help: "Cluster name.")
    var cluster: String

    @Argument(help: "Job ids. Default: the latest job.")
    var jobIDs: [Int] = []

    @Flag(help: "Print the job's status and exit with its job exit code.")
    var status = false

    @Flag(
        name: [.customShort("s"), .customLong("sync-down")],
        help: "Download the logs to ~/sky_logs instead of printing them.")
    var syncDown = false

    @Flag(inversion: .prefixedNo, help: "Keep streaming until the job ends.")
    var follow = true

    @Option(help: "Print only the last N lines (0: all).")
    var tail: Int = 0

    @Option(
        name: [.customShort("w"), .customLong("worker")],
        help: "Show the logs of this worker node (0 is the head).")
    var worker: Int?

    @Flag(help: "Show the provisioning log of the cluster instead.")
    var provision = false

    @Option(help: ArgumentHelp("Show the log of a hook run at this event.", valueName: "event"))
    var hook: String?

    @Flag(help: "Show the autostop log of the cluster instead.")
    var autostop = false

    func validate() throws {
        if jobIDs.count > 1 && !status && !syncDown {
            throw ValidationError(
                "Streaming shows one job at a time; name one job id (several are allowed with --status or --sync-down)."
            )
        }
    }

    func run() async throws {
        if provision || hook != nil || autostop {
            throw CLIError.notAvailable(command: "logs --provision/--hook/--autostop")
        }
        let engine = global.engine()
        if status {
            var worst: JobExitCode = .succeeded
            for (id, jobStatus) in try await engine.jobStatuses(cluster: cluster, jobIDs: jobIDs) {
                guard let jobStatus else {
                    Console.print(
                        id.map { "Job \($0): NOT_FOUND" } ?? "No job found on cluster \(cluster).")
                    worst = .notFound
                    continue
                }
                Console.print("Job \(id ?? 0): \(jobStatus.rawValue)")
                let code = JobExitCode(jobStatus)
                if worst == .succeeded || code == .failed { worst = code }
            }
            if worst != .succeeded { throw worst.exitCode }
            return
        }
        if syncDown {
            for (id, path) in try await engine.syncDownLogs(cluster: cluster, jobIDs: jobIDs) {
                Console.print("Job \(id) logs: \(path)")
            }
            return
        }
        let final = try await engine.logs(
            cluster: cluster, jobID: jobIDs.first, follow: follow, tail: tail > 0 ? tail : nil,
            worker: worker, onLine: { Console.printLogLine($0) })
        if follow && final != .succeeded {
            throw JobExitCode(final).exitCode
        }
    }
}
