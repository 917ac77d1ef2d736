import ArgumentParser

extension Volumes {
    struct Ls: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List volumes.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            throw CLIError.notAvailable(command: "volumes ls")
        }
    }
}
