import ArgumentParser
import SkyEngine

struct Stop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop clusters.",
        discussion: "Stopped clusters keep their disks and can be restarted with 'sky start'.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: ClusterBatch

    func run() async throws {
        let engine = global.engine()
        try await selection.run(
            engine: engine, operation: "stop", progressive: "Stopping", done: "stopped"
        ) { name in
            try await engine.stop(name)
        }
    }
}
