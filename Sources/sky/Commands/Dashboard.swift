import ArgumentParser

struct Dashboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the API server's dashboard in a browser.")

    @OptionGroup var global: BaseOptions

    func run() async throws {
        throw CLIError.notAvailable(command: "dashboard")
    }
}
