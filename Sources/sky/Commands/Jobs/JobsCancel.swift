import ArgumentParser

extension Jobs {
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel managed jobs.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Managed job ids.")
        var jobIDs: [Int] = []

        @Option(name: .shortAndLong, help: "Cancel the managed job with this name.")
        var name: String?

        @Option(name: .shortAndLong, help: "Cancel the jobs running on this pool.")
        var pool: String?

        @Flag(name: .shortAndLong, help: "Cancel all managed jobs of the current user.")
        var all = false

        @Flag(
            name: [.customShort("u"), .customLong("all-users")],
            help: "Cancel all managed jobs of every user.")
        var allUsers = false

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        @Flag(help: "Let the running task finish its current step before cancelling.")
        var graceful = false

        func run() async throws {
            throw CLIError.notAvailable(command: "jobs cancel")
        }
    }
}
