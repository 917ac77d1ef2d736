import ArgumentParser

extension Ssh {
    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "down",
            abstract: "Clean Sky off the hosts of SSH node pools.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only this pool (default: every pool).", valueName: "pool"))
        var infra: String?

        func run() async throws {
            throw CLIError.notAvailable(command: "ssh down")
        }
    }
}
