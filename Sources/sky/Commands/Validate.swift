import ArgumentParser

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a task YAML and print the normalized task.",
        discussion: """
            Parses, validates and substitutes ${VAR}s, then prints the task as Sky understands it. \
            With -o json prints {"ok": true, "task": {...}} or {"ok": false, "error": {"message": ...}}; \
            an invalid task exits 1.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var task: TaskOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "A task YAML file, or an inline command.")
    var entrypoint: [String] = []

    func run() async throws {
        throw CLIError.notAvailable(command: "validate")
    }
}
