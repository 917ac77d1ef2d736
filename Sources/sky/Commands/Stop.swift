import ArgumentParser

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

    func run() async throws {
        throw CLIError.notAvailable(command: "stop")
    }
}
