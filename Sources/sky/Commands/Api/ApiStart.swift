import ArgumentParser

extension Api {
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Start the API server.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Listen on every interface (0.0.0.0) for a team deployment.")
        var deploy = false

        @Option(help: "Address to listen on: 127.0.0.1, 0.0.0.0 or localhost.")
        var host: String = "127.0.0.1"

        @Flag(help: "Run in the foreground instead of as a background process.")
        var foreground = false

        @Flag(name: .customLong("enable-basic-auth"), help: "Require HTTP basic authentication.")
        var enableBasicAuth = false

        func run() async throws {
            throw CLIError.notAvailable(command: "api start")
        }
    }
}
