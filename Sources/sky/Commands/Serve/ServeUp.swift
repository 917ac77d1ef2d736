import ArgumentParser

extension Serve {
    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "up",
            abstract: "Start a service from a task YAML with a 'service' section.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var task: TaskCoreOptions

        @Argument(help: "A service YAML file, or an inline command.")
        var entrypoint: [String] = []

        @Option(
            name: [.customShort("n"), .customLong("service-name")],
            help: "Service name (default: generated).")
        var serviceName: String?

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        func run() async throws {
            throw CLIError.notAvailable(command: "serve up")
        }
    }
}
