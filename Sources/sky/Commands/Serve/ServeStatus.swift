import ArgumentParser

extension Serve {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show services and their replicas.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Service names. Default: all services.")
        var serviceNames: [String] = []

        @Flag(help: "Print only the endpoint of the named service.")
        var endpoint = false

        func run() async throws {
            throw CLIError.notAvailable(command: "serve status")
        }
    }
}
