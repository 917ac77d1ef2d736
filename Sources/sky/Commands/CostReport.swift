import ArgumentParser

struct CostReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost-report",
        abstract: "Show estimated costs of clusters, including terminated ones.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .shortAndLong, help: "Include clusters of every user.")
    var all = false

    @Option(help: "Report on the last N days.")
    var days: Int = 30

    func run() async throws {
        throw CLIError.notAvailable(command: "cost-report")
    }
}
