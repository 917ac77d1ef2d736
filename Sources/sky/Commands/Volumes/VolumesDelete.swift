import ArgumentParser

extension Volumes {
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete volumes.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Volume names; glob patterns allowed.")
        var names: [String] = []

        @Flag(name: .shortAndLong, help: "Delete all volumes.")
        var all = false

        @Flag(name: .shortAndLong, help: "Remove from Sky's records even if the deletion fails.")
        var purge = false

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        func run() async throws {
            throw CLIError.notAvailable(command: "volumes delete")
        }
    }
}
