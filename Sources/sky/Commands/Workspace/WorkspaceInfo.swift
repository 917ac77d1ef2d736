import ArgumentParser

extension Workspace {
    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Show the active workspace and its settings.")

        @OptionGroup var global: BaseOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            throw CLIError.notAvailable(command: "workspace info")
        }
    }
}
