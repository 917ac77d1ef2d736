import ArgumentParser

struct DebugDump: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug-dump",
        abstract:
            "Collect state, logs and configuration (secrets removed) into an archive for a bug report.",
        shouldDisplay: false)

    @OptionGroup var global: BaseOptions

    @Option(name: .shortAndLong, help: "Archive path (default: ./sky-debug-<time>.tar.gz).")
    var output: String?

    func run() async throws {
        throw CLIError.notAvailable(command: "debug-dump")
    }
}
