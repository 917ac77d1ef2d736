import ArgumentParser

extension Api {
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel API requests.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Request ids or prefixes.")
        var requestIDs: [String] = []

        @Flag(name: .shortAndLong, help: "Cancel all requests of the current user.")
        var all = false

        @Flag(
            name: [.customShort("u"), .customLong("all-users")],
            help: "Cancel all requests of every user.")
        var allUsers = false

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        func run() async throws {
            throw CLIError.notAvailable(command: "api cancel")
        }
    }
}
