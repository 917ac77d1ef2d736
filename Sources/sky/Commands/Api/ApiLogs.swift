import ArgumentParser

extension Api {
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logs",
            abstract: "Show the logs of an API request or of the server.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Request id or prefix. Default: the latest request.")
        var requestID: String?

        @Flag(name: .customLong("server-logs"), help: "Show the API server's own log.")
        var serverLogs = false

        @Option(help: "Print only the last N lines (0: all).")
        var tail: Int = 0

        @Flag(inversion: .prefixedNo, help: "Keep streaming until the request ends.")
        var follow = true

        func run() async throws {
            throw CLIError.notAvailable(command: "api logs")
        }
    }
}
