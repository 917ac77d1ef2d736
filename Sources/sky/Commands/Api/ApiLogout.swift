import ArgumentParser

extension Api {
    struct Logout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logout",
            abstract: "Forget the remote API server and use the local one.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            throw CLIError.notAvailable(command: "api logout")
        }
    }
}
