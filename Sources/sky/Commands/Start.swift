import ArgumentParser
import SkyEngine

struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Restart stopped clusters.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Cluster names; glob patterns allowed.")
    var clusters: [String] = []

    @Flag(name: .shortAndLong, help: "Start all stopped clusters.")
    var all = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    @Option(
        name: [.customShort("i"), .customLong("idle-minutes-to-autostop")],
        help: "Stop the cluster after this many idle minutes.")
    var idleMinutesToAutostop: Int?

    @Option(name: .customLong("wait-for"), help: "What keeps the cluster busy for autostop.")
    var waitFor: AutostopWaitFor?

    @Flag(help: "Tear the cluster down (instead of stopping) when autostop fires.")
    var down = false

    @Flag(
        name: [.customShort("r"), .customLong("retry-until-up")],
        help: "Keep retrying until the cluster is up.")
    var retryUntilUp = false

    @Flag(
        name: .shortAndLong,
        help: "Start even if the cluster is UP (re-runs provisioning and skylet start).")
    var force = false

    func validate() throws {
        if clusters.isEmpty && !all { throw ValidationError("Name a cluster or pass --all.") }
    }

    func run() async throws {
        let engine = global.engine()
        let names = try await engine.clusterNames(clusters, all: all)
        guard !names.isEmpty else { return Console.print("No clusters to start.") }
        var options = LaunchOptions()
        options.idleMinutes = idleMinutesToAutostop
        options.down = down
        options.waitFor = waitFor?.rawValue
        options.retryUntilUp = retryUntilUp
        let chosen = options
        var failed = false
        for name in names {
            do {
                try await Console.withProgress("Starting \(name) ...") {
                    try await engine.start(name, options: chosen, force: force) {
                        Console.error($0)
                    }
                }
                Console.print("Cluster \(name) started.")
            } catch {
                Console.error("sky: \(error)")
                failed = true
            }
        }
        if failed { throw CLIError.reported }
    }
}
