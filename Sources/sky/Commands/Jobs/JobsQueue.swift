import ArgumentParser

extension Jobs {
    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "queue",
            abstract: "Show managed jobs.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        @Option(name: .shortAndLong, help: "Show at most this many jobs.")
        var limit: Int = 50

        @Flag(
            name: .shortAndLong,
            help: "Start the jobs controller if it is stopped, to get fresh state.")
        var refresh = false

        @Flag(name: .customLong("skip-finished"), help: "Show only unfinished jobs.")
        var skipFinished = false

        @Option(name: .shortAndLong, help: "Show only jobs in this status (repeatable).")
        var status: [String] = []

        @Flag(
            name: [.customShort("u"), .customLong("all-users")], help: "Show jobs of every user.")
        var allUsers = false

        @Flag(name: .shortAndLong, help: "Show all jobs (no --limit).")
        var all = false

        func run() async throws {
            throw CLIError.notAvailable(command: "jobs queue")
        }
    }
}
