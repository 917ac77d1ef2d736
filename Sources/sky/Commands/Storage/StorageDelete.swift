import ArgumentParser

extension Storage {
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete storage buckets.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Storage names; glob patterns allowed.")
        var names: [String] = []

        @Flag(name: .shortAndLong, help: "Delete all storage buckets.")
        var all = false

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        func run() async throws {
            throw CLIError.notAvailable(command: "storage delete")
        }
    }
}
