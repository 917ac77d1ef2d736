import ArgumentParser

extension Local {
    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "down",
            abstract: "Remove the local Kubernetes cluster.")

        @OptionGroup var global: BaseOptions

        func run() async throws {
            throw CLIError.notAvailable(command: "local down")
        }
    }
}
