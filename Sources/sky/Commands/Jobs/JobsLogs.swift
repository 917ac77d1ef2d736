import ArgumentParser

extension Jobs {
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logs",
            abstract: "Show or follow the logs of a managed job.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Managed job id. Default: the latest job.")
        var jobID: Int?

        @Argument(help: "Task id or name within a pipeline.")
        var task: String?

        @Option(name: .shortAndLong, help: "Managed job name.")
        var name: String?

        @Flag(inversion: .prefixedNo, help: "Keep streaming until the job ends.")
        var follow = true

        @Flag(help: "Show the controller's log of the job instead.")
        var controller = false

        @Flag(name: .shortAndLong, help: "Start the jobs controller if it is stopped.")
        var refresh = false

        @Flag(
            name: [.customShort("s"), .customLong("sync-down")],
            help: "Download the logs instead of printing them.")
        var syncDown = false

        func run() async throws {
            throw CLIError.notAvailable(command: "jobs logs")
        }
    }
}
