import ArgumentParser

extension Serve {
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Update a service to a new version of its task.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var task: TaskCoreOptions

        @Argument(help: "Service name.")
        var serviceName: String

        @Argument(help: "A service YAML file, or an inline command.")
        var entrypoint: [String] = []

        @Option(help: "How to replace replicas.")
        var mode: UpdateMode = .rolling

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        func run() async throws {
            throw CLIError.notAvailable(command: "serve update")
        }
    }
}
