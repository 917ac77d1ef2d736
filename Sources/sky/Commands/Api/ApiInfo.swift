import ArgumentParser

extension Api {
    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Show the API server this client uses, its version and the user.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            throw CLIError.notAvailable(command: "api info")
        }
    }
}
