import ArgumentParser

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

    func run() async throws {
        throw CLIError.notAvailable(command: "down")
    }
}
