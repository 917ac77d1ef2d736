import ArgumentParser

struct Launch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Launch a cluster (or reuse one) and run a task on it.",
        discussion: """
            ENTRYPOINT is a task YAML file; anything else is run as an inline command \
            (sky launch -- nvidia-smi). Without -c a cluster name is generated.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var task: TaskOptions

    @Argument(help: "A task YAML file, or an inline command to run.")
    var entrypoint: [String] = []

    @Option(name: [.customShort("c"), .customLong("cluster")], help: "Cluster name (reused if it exists).")
    var cluster: String?

    @Flag(help: "Show the plan (optimizer output) without launching.")
    var dryrun = false

    @Flag(name: [.customShort("d"), .customLong("detach-run")], help: "Return once the job is submitted; do not stream its logs.")
    var detachRun = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    @Option(name: [.customShort("i"), .customLong("idle-minutes-to-autostop")], help: "Stop the cluster after this many idle minutes.")
    var idleMinutesToAutostop: Int?

    @Option(name: .customLong("wait-for"), help: "What keeps the cluster busy for autostop.")
    var waitFor: AutostopWaitFor?

    @Flag(help: "Tear the cluster down (instead of stopping) when autostop fires or the job ends.")
    var down = false

    @Flag(name: [.customShort("r"), .customLong("retry-until-up")], help: "Keep retrying provisioning until it succeeds.")
    var retryUntilUp = false

    @Flag(name: .customLong("no-setup"), help: "Skip the setup step on an existing cluster.")
    var noSetup = false

    @Option(name: .customLong("clone-disk-from"), help: "Clone the disk of this (stopped) cluster.")
    var cloneDiskFrom: String?

    @Flag(help: "Skip provisioning and setup when the cluster is already UP.")
    var fast = false

    func run() async throws {
        throw CLIError.notAvailable(command: "launch")
    }
}
