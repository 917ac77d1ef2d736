import ArgumentParser

struct Autostop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set or cancel autostop (or autodown) for clusters.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Cluster names; glob patterns allowed.")
    var clusters: [String] = []

    @Option(name: [.customShort("i"), .customLong("idle-minutes")], help: "Idle minutes before stopping (default 5).")
    var idleMinutes: Int?

    @Option(name: .customLong("wait-for"), help: "What keeps the cluster busy.")
    var waitFor: AutostopWaitFor?

    @Flag(help: "Cancel autostop.")
    var cancel = false

    @Flag(help: "Tear the cluster down instead of stopping it.")
    var down = false

    @Flag(name: .shortAndLong, help: "Apply to all clusters of the current user.")
    var all = false

    @Flag(name: [.customShort("u"), .customLong("all-users")], help: "Apply to all clusters of every user.")
    var allUsers = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        throw CLIError.notAvailable(command: "autostop")
    }
}
