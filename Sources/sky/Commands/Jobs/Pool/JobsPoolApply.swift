import ArgumentParser

extension Jobs.Pool {
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Create a pool or update it to a new spec or size.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var task: TaskCoreOptions

        @Argument(help: "A pool YAML file (task with a 'pool' section).")
        var entrypoint: String?

        @Option(name: .shortAndLong, help: "Pool name.")
        var pool: String?

        @Option(help: "How to replace workers on an update.")
        var mode: UpdateMode = .rolling

        @Option(help: "Number of workers.")
        var workers: Int?

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        func run() async throws {
            throw CLIError.notAvailable(command: "jobs pool apply")
        }
    }
}
