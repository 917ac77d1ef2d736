import ArgumentParser

extension Workspace {
    struct Use: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "use",
            abstract: "Make a workspace the active one.")

        @OptionGroup var global: BaseOptions

        @Argument(help: "Workspace name.")
        var name: String

        func run() async throws {
            throw CLIError.notAvailable(command: "workspace use")
        }
    }
}
