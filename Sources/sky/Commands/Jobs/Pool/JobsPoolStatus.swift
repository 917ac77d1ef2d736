import ArgumentParser

extension Jobs.Pool {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show pools and their workers.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Pool names. Default: all pools.")
        var pools: [String] = []

        func run() async throws {
            throw CLIError.notAvailable(command: "jobs pool status")
        }
    }
}
