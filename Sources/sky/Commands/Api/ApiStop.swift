import ArgumentParser

extension Api {
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop",
            abstract: "Stop the local API server.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            throw CLIError.notAvailable(command: "api stop")
        }
    }
}
