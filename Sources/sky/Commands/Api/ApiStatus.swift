import ArgumentParser

extension Api {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show API requests.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "Request id prefixes. Default: unfinished requests.")
        var requestIDs: [String] = []

        @Flag(
            name: [.customShort("a"), .customLong("all-status")], help: "Include finished requests."
        )
        var allStatus = false

        @Option(name: .shortAndLong, help: "Show at most this many requests.")
        var limit: Int = 50

        @Option(
            name: [.customShort("c"), .customLong("cluster")],
            help: "Only requests on this cluster.")
        var cluster: String?

        func run() async throws {
            throw CLIError.notAvailable(command: "api status")
        }
    }
}
