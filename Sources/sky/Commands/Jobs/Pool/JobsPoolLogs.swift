import ArgumentParser

extension Jobs.Pool {
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logs",
            abstract: "Show the logs of a pool's workers or controller.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Pool name.")
        var pool: String

        @Argument(help: "Worker ids. Default: all workers.")
        var workerIDs: [Int] = []

        @Flag(help: "Show the pool controller's log.")
        var controller = false

        @Option(help: "Print only the last N lines (0: all).")
        var tail: Int = 0

        @Flag(inversion: .prefixedNo, help: "Keep streaming.")
        var follow = true

        func run() async throws {
            throw CLIError.notAvailable(command: "jobs pool logs")
        }
    }
}
