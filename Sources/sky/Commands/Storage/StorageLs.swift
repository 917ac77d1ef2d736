import ArgumentParser

extension Storage {
    struct Ls: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List storage buckets.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            throw CLIError.notAvailable(command: "storage ls")
        }
    }
}
