import ArgumentParser
import Foundation
import SkyEngine

struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel jobs on a cluster.",
        discussion: "Without job ids cancels the latest job of the current user.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Cluster name.")
    var cluster: String

    @Argument(help: "Job ids to cancel.")
    var jobIDs: [Int] = []

    @Flag(name: .shortAndLong, help: "Cancel all jobs of the current user on the cluster.")
    var all = false

    @Flag(
        name: [.customShort("u"), .customLong("all-users")],
        help: "Cancel all jobs of every user on the cluster.")
    var allUsers = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    func validate() throws {
        if !jobIDs.isEmpty && (all || allUsers) {
            throw ValidationError("Pass job ids or --all/--all-users, not both.")
        }
    }

    func run() async throws {
        let what =
            allUsers
            ? "all jobs of every user"
            : all
                ? "all your jobs"
                : jobIDs.isEmpty
                    ? "your latest job"
                    : "job(s) \(jobIDs.map(String.init).joined(separator: ", "))"
        guard
            Console.confirm(
                "Cancel \(what) on cluster \(cluster)?", assumeYes: yes || !jobIDs.isEmpty)
        else {
            throw CLIError.aborted
        }
        let result = try await global.engine().cancel(
            cluster: cluster, jobIDs: jobIDs, all: all, allUsers: allUsers)
        if !result.cancelled.isEmpty {
            Console.print(
                "Cancelled job(s): \(result.cancelled.map(String.init).joined(separator: ", ")).")
        }
        for id in result.alreadyTerminal { Console.print("Job \(id) is already finished.") }
        for id in result.notFound {
            Console.error("sky: job \(id) not found on cluster \(cluster).")
        }
        if result.cancelled.isEmpty && result.alreadyTerminal.isEmpty && result.notFound.isEmpty {
            Console.print("No job to cancel on cluster \(cluster).")
        }
        if !result.notFound.isEmpty { throw ExitCode(1) }
    }
}
