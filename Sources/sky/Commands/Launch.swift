import ArgumentParser
import SkyCore
import SkyEngine

struct Launch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Launch a cluster (or reuse one) and run a task on it.",
        discussion: """
            ENTRYPOINT is a task YAML file; anything else is run as an inline command \
            (sky launch -- nvidia-smi). Without -c a cluster name is generated.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var task: TaskOptions

    @Argument(help: "A task YAML file, or an inline command to run.")
    var entrypoint: [String] = []

    @Option(
        name: [.customShort("c"), .customLong("cluster")],
        help: "Cluster name (reused if it exists).")
    var cluster: String?

    @Flag(help: "Show the plan (optimizer output) without launching.")
    var dryrun = false

    @OptionGroup var output: OutputOptions

    @Flag(
        name: [.customShort("d"), .customLong("detach-run")],
        help: "Return once the job is submitted; do not stream its logs.")
    var detachRun = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    @Option(
        name: [.customShort("i"), .customLong("idle-minutes-to-autostop")],
        help: "Stop the cluster after this many idle minutes.")
    var idleMinutesToAutostop: Int?

    @Option(name: .customLong("wait-for"), help: "What keeps the cluster busy for autostop.")
    var waitFor: AutostopWaitFor?

    @Flag(help: "Tear the cluster down (instead of stopping) when autostop fires or the job ends.")
    var down = false

    @Flag(
        name: [.customShort("r"), .customLong("retry-until-up")],
        help: "Keep retrying provisioning until it succeeds.")
    var retryUntilUp = false

    @Flag(name: .customLong("no-setup"), help: "Skip the setup step on an existing cluster.")
    var noSetup = false

    @Option(name: .customLong("clone-disk-from"), help: "Clone the disk of this (stopped) cluster.")
    var cloneDiskFrom: String?

    @Flag(help: "Skip provisioning and setup when the cluster is already UP.")
    var fast = false

    func validate() throws {
        if let idle = idleMinutesToAutostop, idle < 0 {
            throw ValidationError("-i/--idle-minutes-to-autostop must be 0 or more.")
        }
    }

    func run() async throws {
        let engine = global.engine()
        let loaded = try loadTask()
        if dryrun {
            return Console.print(try await engine.launchDryRun(loaded, json: output.isJSON))
        }
        var options = LaunchOptions(clusterName: cluster)
        options.retryUntilUp = retryUntilUp
        options.detach = detachRun
        options.noSetup = noSetup
        options.fast = fast
        options.idleMinutes = idleMinutesToAutostop
        options.down = down
        options.waitFor = waitFor?.rawValue
        options.commandLine = RedactedCommandLine.render(
            ["sky"] + CommandLine.arguments.dropFirst())
        if Console.stdinIsTerminal, !yes, let name = cluster,
            !(try await engine.clusterNames([], all: true)).contains(name)
        {
            guard Console.confirm("Launching a new cluster '\(name)'. Proceed?") else {
                throw CLIError.aborted
            }
        }
        let output = LaunchOutput(
            progress: { Console.error($0) }, log: { Console.printLogLine($0) },
            handlesCtrlC: true)
        let result = try await engine.launch(loaded, options: options, output: output)
        if result.jobID == nil {
            Console.error("Cluster '\(result.clusterName)' is up (nothing to run).")
        } else if result.jobStatus == nil {
            Console.error(
                "Job submitted to '\(result.clusterName)'. Follow it with: sky logs \(result.clusterName) \(result.jobID ?? 0)"
            )
        } else if let status = result.jobStatus {
            Console.error("Job \(result.jobID ?? 0) on '\(result.clusterName)': \(status.rawValue)")
        }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }

    /// The task of the entrypoint with the command-line options applied (one task only).
    private func loadTask() throws -> SkyCore.Task {
        let overrides = task.overrides()
        switch TaskEntrypoint(entrypoint) {
        case .yaml(let path):
            let document = try TaskLoader.load(path: path, overrides: overrides)
            guard case .task(let single) = document else {
                throw CLIError.usage(
                    "\(path) holds a pipeline; 'sky launch' runs one task. Use 'sky jobs launch' for pipelines."
                )
            }
            return single
        case .command(let command):
            return try TaskLoader.inline(command: command, overrides: overrides)
        case .none:
            return try TaskLoader.inline(command: "", overrides: overrides)
        }
    }
}
