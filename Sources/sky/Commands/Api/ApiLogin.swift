import ArgumentParser

extension Api {
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Point this client at a remote API server.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .shortAndLong, help: "API server URL, e.g. https://sky.example.com.")
        var endpoint: String?

        @Flag(help: "Log in again even if a session exists.")
        var relogin = false

        @Option(
            name: .shortAndLong,
            help: "Service account token (prefer SKY_API_TOKEN to keep it out of argv).")
        var token: String?

        @Flag(
            name: .customLong("no-browser"),
            help: "Print the login URL instead of opening a browser.")
        var noBrowser = false

        func run() async throws {
            throw CLIError.notAvailable(command: "api login")
        }
    }
}
