import ArgumentParser

struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cancel jobs on a cluster.",
        discussion: "Without job ids cancels the latest job of the current user.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Cluster name.")
    var cluster: String

    @Argument(help: "Job ids to cancel.")
    var jobIDs: [Int] = []

    @Flag(name: .shortAndLong, help: "Cancel all jobs of the current user on the cluster.")
    var all = false

    @Flag(name: [.customShort("u"), .customLong("all-users")], help: "Cancel all jobs of every user on the cluster.")
    var allUsers = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        throw CLIError.notAvailable(command: "cancel")
    }
}
