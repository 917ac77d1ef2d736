import ArgumentParser

struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the job queue of clusters.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Cluster names; glob patterns allowed. Default: all UP clusters.")
    var clusters: [String] = []

    @Flag(name: [.customShort("s"), .customLong("skip-finished")], help: "Show only unfinished jobs.")
    var skipFinished = false

    @Flag(name: [.customShort("u"), .customLong("all-users")], help: "Show jobs of every user.")
    var allUsers = false

    func run() async throws {
        throw CLIError.notAvailable(command: "queue")
    }
}
