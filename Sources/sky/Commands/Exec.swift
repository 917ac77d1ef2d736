import ArgumentParser
import Foundation
import SkyCore
import SkyEngine

struct Exec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a task or command on an existing cluster.",
        discussion: "Syncs the workdir, then submits the job; skips provisioning and setup.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var task: TaskOptions

    @Argument(help: "Name of an existing cluster.")
    var cluster: String

    @Argument(help: "A task YAML file, or an inline command to run.")
    var entrypoint: [String] = []

    @Flag(
        name: [.customShort("d"), .customLong("detach-run")],
        help: "Return once the job is submitted; do not stream its logs.")
    var detachRun = false

    func run() async throws {
        let loaded = try loadTask()
        let engine = global.engine()
        let result = try await engine.exec(
            loaded, cluster: cluster, detach: detachRun,
            output: LaunchOutput(
                progress: { Console.error($0) }, log: { Console.printLogLine($0) },
                handlesCtrlC: true))
        if let id = result.jobID, detachRun {
            Console.error("Follow it with: sky logs \(cluster) \(id)")
        }
        if let status = result.jobStatus, status != .succeeded {
            Console.error("Job \(result.jobID ?? 0) finished: \(status.rawValue)")
            throw JobExitCode(status).exitCode
        }
    }

    private func loadTask() throws -> Task {
        let overrides = task.overrides()
        switch TaskEntrypoint(entrypoint) {
        case .yaml(let path):
            let document = try TaskLoader.load(path: path, overrides: overrides)
            guard document.tasks.count == 1, let only = document.tasks.first else {
                throw CLIError.usage(
                    "sky exec runs one task; \(path) holds a pipeline of \(document.tasks.count). Use 'sky jobs launch' for pipelines."
                )
            }
            return only
        case .command(let command):
            return try TaskLoader.inline(command: command, overrides: overrides)
        case .none:
            throw CLIError.usage("Name a task YAML file or give a command to run on \(cluster).")
        }
    }
}
