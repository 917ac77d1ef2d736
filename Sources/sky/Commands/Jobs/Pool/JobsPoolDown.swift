import ArgumentParser

extension Jobs.Pool {
    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "down",
            abstract: "Tear down pools and their workers.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Pool names.")
        var pools: [String] = []

        @Flag(name: .shortAndLong, help: "Tear down all pools.")
        var all = false

        @Flag(
            name: .shortAndLong,
            help: "Remove the pool from Sky's records even if the teardown fails.")
        var purge = false

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        func run() async throws {
            throw CLIError.notAvailable(command: "jobs pool down")
        }
    }
}
