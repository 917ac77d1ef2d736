import ArgumentParser

struct Exec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a task or command on an existing cluster.",
        discussion: "Syncs the workdir and file mounts, then submits the job; skips provisioning and setup.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var task: TaskOptions

    @Argument(help: "Name of an existing cluster.")
    var cluster: String

    @Argument(help: "A task YAML file, or an inline command to run.")
    var entrypoint: [String] = []

    @Flag(name: [.customShort("d"), .customLong("detach-run")], help: "Return once the job is submitted; do not stream its logs.")
    var detachRun = false

    func run() async throws {
        throw CLIError.notAvailable(command: "exec")
    }
}
