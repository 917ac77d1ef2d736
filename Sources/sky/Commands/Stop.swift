import ArgumentParser
import SkyEngine

struct Stop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop clusters.",
        discussion: "Stopped clusters keep their disks and can be restarted with 'sky start'.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Cluster names; glob patterns allowed.")
    var clusters: [String] = []

    @Flag(name: .shortAndLong, help: "Stop all clusters of the current user.")
    var all = false

    @Flag(name: [.customShort("u"), .customLong("all-users")], help: "Stop all clusters of every user.")
    var allUsers = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    @Flag(help: "Wait for running jobs to finish (or the timeout) before stopping.")
    var graceful = false

    @Option(name: .customLong("graceful-timeout"), help: "Seconds to wait with --graceful.")
    var gracefulTimeout: Int?

    func validate() throws {
        if clusters.isEmpty && !all && !allUsers { throw ValidationError("Name a cluster or pass --all.") }
    }

    func run() async throws {
        let engine = global.engine()
        let names = try await engine.clusterNames(clusters, all: all || allUsers)
        guard !names.isEmpty else { return Console.print("No clusters to stop.") }
        guard Console.confirm("Stopping \(names.count) cluster(s): \(names.joined(separator: ", ")). Proceed?", assumeYes: yes || !Console.stdinIsTerminal)
        else { throw CLIError.aborted }
        var failed = false
        for name in names {
            do {
                try await Console.withProgress("Stopping \(name) ...") {
                    try await engine.stop(name)
                }
                Console.print("Cluster \(name) stopped.")
            } catch {
                Console.error("sky: \(error)")
                failed = true
            }
        }
        if failed { throw CLIError.reported }
    }
}
