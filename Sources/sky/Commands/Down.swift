import ArgumentParser
import SkyEngine

struct Down: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Tear down clusters.",
        discussion: "Terminates every node. Data on its disks is lost.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: ClusterBatch

    @Flag(
        name: .shortAndLong,
        help: "Remove the cluster from Sky's records even if the teardown fails.")
    var purge = false

    func run() async throws {
        let engine = global.engine()
        try await selection.run(
            engine: engine, operation: "tear down", progressive: "Terminating", done: "terminated"
        ) { name in
            try await engine.down(name, purge: purge)
        }
    }
}
