import ArgumentParser
import SkyEngine

struct Autostop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autostop",
        abstract: "Set or cancel autostop (or autodown) for clusters.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Cluster names; glob patterns allowed.")
    var clusters: [String] = []

    @Option(
        name: [.customShort("i"), .customLong("idle-minutes")],
        help: "Idle minutes before stopping (default 5).")
    var idleMinutes: Int?

    @Option(name: .customLong("wait-for"), help: "What keeps the cluster busy.")
    var waitFor: AutostopWaitFor?

    @Flag(help: "Cancel autostop.")
    var cancel = false

    @Flag(help: "Tear the cluster down instead of stopping it.")
    var down = false

    @Flag(name: .shortAndLong, help: "Apply to all clusters of the current user.")
    var all = false

    @Flag(
        name: [.customShort("u"), .customLong("all-users")],
        help: "Apply to all clusters of every user.")
    var allUsers = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    func validate() throws {
        if clusters.isEmpty && !all && !allUsers {
            throw ValidationError("Name a cluster or pass --all.")
        }
        if cancel && (idleMinutes != nil || down) {
            throw ValidationError("--cancel cannot be combined with -i or --down.")
        }
    }

    func run() async throws {
        let engine = global.engine()
        let names = try await engine.clusterNames(clusters, all: all || allUsers)
        let minutes: Int? = cancel ? nil : (idleMinutes ?? 5)
        var failed = false
        for name in names {
            do {
                try await engine.autostop(
                    name, idleMinutes: minutes, down: down, waitFor: waitFor?.rawValue)
                if let minutes {
                    Console.print(
                        "Auto\(down ? "down" : "stop") set for \(name): after \(minutes) idle minute(s)."
                    )
                } else {
                    Console.print("Autostop cancelled for \(name).")
                }
            } catch {
                Console.error("sky: \(error)")
                failed = true
            }
        }
        if failed { throw CLIError.reported }
    }
}
