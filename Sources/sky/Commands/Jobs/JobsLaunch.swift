import ArgumentParser

extension Jobs {
    struct Launch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "launch",
            abstract: "Launch a managed job.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var task: TaskOptions

        @Argument(help: "A task YAML file, or an inline command to run.")
        var entrypoint: [String] = []

        @Option(
            name: .customLong("job-recovery"),
            help: "Recovery strategy: FAILOVER, EAGER_NEXT_REGION or none.")
        var jobRecovery: String?

        @Flag(
            name: [.customShort("d"), .customLong("detach-run")],
            help: "Return once the job is submitted; do not stream its logs.")
        var detachRun = false

        @Option(name: .shortAndLong, help: "Run on the workers of this pool.")
        var pool: String?

        @Option(
            name: .customLong("num-jobs"), help: "Submit this many copies of the job (with --pool)."
        )
        var numJobs: Int?

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        func run() async throws {
            throw CLIError.notAvailable(command: "jobs launch")
        }
    }
}
