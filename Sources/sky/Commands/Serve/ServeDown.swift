import ArgumentParser

extension Serve {
    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "down",
            abstract: "Tear down services, or one replica of a service.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Service names.")
        var serviceNames: [String] = []

        @Flag(name: .shortAndLong, help: "Tear down all services.")
        var all = false

        @Flag(
            name: .shortAndLong,
            help: "Remove the service from Sky's records even if the teardown fails.")
        var purge = false

        @Option(
            name: .customLong("replica-id"),
            help: "Tear down only this replica of the named service.")
        var replicaID: Int?

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        func run() async throws {
            throw CLIError.notAvailable(command: "serve down")
        }
    }
}
