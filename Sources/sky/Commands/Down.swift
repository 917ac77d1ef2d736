import ArgumentParser
import SkyEngine

struct Down: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tear down clusters.",
        discussion: "Terminates every node. Data on its disks is lost.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Cluster names; glob patterns allowed.")
    var clusters: [String] = []

    @Flag(name: .shortAndLong, help: "Tear down all clusters of the current user.")
    var all = false

    @Flag(name: [.customShort("u"), .customLong("all-users")], help: "Tear down all clusters of every user.")
    var allUsers = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    @Flag(name: .shortAndLong, help: "Remove the cluster from Sky's records even if the teardown fails.")
    var purge = false

    @Flag(help: "Wait for running jobs to finish (or the timeout) before tearing down.")
    var graceful = false

    @Option(name: .customLong("graceful-timeout"), help: "Seconds to wait with --graceful.")
    var gracefulTimeout: Int?

    func validate() throws {
        if clusters.isEmpty && !all && !allUsers { throw ValidationError("Name a cluster or pass --all.") }
    }

    func run() async throws {
        let engine = global.engine()
        let names = try await engine.clusterNames(clusters, all: all || allUsers)
        guard !names.isEmpty else { return Console.print("No clusters to tear down.") }
        guard Console.confirm("Terminating \(names.count) cluster(s): \(names.joined(separator: ", ")). Proceed?", assumeYes: yes || !Console.stdinIsTerminal)
        else { throw CLIError.aborted }
        var failed = false
        for name in names {
            do {
                try await Console.withProgress("Terminating \(name) ...") {
                    try await engine.down(name, purge: purge)
                }
                Console.print("Cluster \(name) terminated.")
            } catch {
                Console.error("sky: \(error)")
                failed = true
            }
        }
        if failed { throw CLIError.reported }
    }
}
