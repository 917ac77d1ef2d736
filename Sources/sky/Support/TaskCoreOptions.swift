import ArgumentParser
import Foundation
import SkyCore
import SkyEngine

/// The task options of reference section 4 except `--name/-n` and the git options: what
/// `sky serve up/update` and `sky jobs pool apply` accept (they use `-n`/`-p` for their own names).
/// Every value overrides the YAML; the value `none` resets a YAML field.
struct TaskCoreOptions: ParsableArguments {
    @Option(help: "Working directory to sync to the cluster (overrides the YAML's workdir).")
    var workdir: String?

    @Option(
        help: ArgumentHelp(
            "Infrastructure: cloud[/region[/zone]], k8s[/context], ssh/<pool>, slurm/<cluster>[/<partition>], or *.",
            valueName: "infra"))
    var infra: String?

    @Option(help: .hidden) var cloud: String?
    @Option(help: .hidden) var region: String?
    @Option(help: .hidden) var zone: String?

    @Option(name: .customLong("num-nodes"), help: "Number of nodes to run the task on.")
    var numNodes: Int?

    @Option(help: ArgumentHelp("vCPUs per node, e.g. 4 or 4+.", valueName: "n[+]"))
    var cpus: String?

    @Option(help: ArgumentHelp("Memory per node in GB, e.g. 32 or 32+.", valueName: "gb[+]"))
    var memory: String?

    @Option(name: .customLong("disk-size"), help: "OS disk size in GB.")
    var diskSize: String?

    @Option(
        name: .customLong("disk-tier"),
        help: "OS disk tier: low, medium, high, ultra, best or none.")
    var diskTier: String?

    @Option(name: .customLong("network-tier"), help: "Network tier: standard, best or none.")
    var networkTier: String?

    @Flag(inversion: .prefixedNo, help: "Use spot instances (--no-use-spot: on-demand).")
    var useSpot: Bool?

    @Option(
        name: .customLong("image-id"), help: "Image to boot: a cloud image id or docker:<image>.")
    var imageID: String?

    @Option(
        name: .customLong("env-file"), help: "A dotenv file of task envs (repeatable; later wins).")
    var envFiles: [String] = []

    @Option(
        name: .customLong("env"),
        help: ArgumentHelp(
            "A task env, KEY=VALUE, or KEY to take the value from the caller's environment (repeatable).",
            valueName: "KEY[=VALUE]"))
    var env: [String] = []

    @Option(
        name: .customLong("secret-file"),
        help: "A dotenv file of task secrets (repeatable; later wins).")
    var secretFiles: [String] = []

    @Option(
        name: .customLong("secret"),
        help: ArgumentHelp(
            "A task secret, KEY=VALUE, or KEY to take the value from the caller's environment (repeatable).",
            valueName: "KEY[=VALUE]"))
    var secret: [String] = []

    @Option(
        name: .customLong("local-disk"),
        help: "Local (instance-store) disk requirement, e.g. nvme or nvme:1000+.")
    var localDisk: String?

    @Option(
        help: ArgumentHelp(
            "Accelerators per node, e.g. H100:8 or 'A100,H100'.", valueName: "acc[:n]"))
    var gpus: String?

    @Option(name: [.customShort("t"), .customLong("instance-type")], help: "Instance type to use.")
    var instanceType: String?

    @Option(
        help: ArgumentHelp(
            "Ports to open, e.g. 8080 or 10000-10010 (repeatable).", valueName: "port"))
    var ports: [String] = []

    @Option(help: "Job priority 0-1000 (higher runs first).")
    var priority: Int?

    /// The options as SkyCore overrides; `--env K` / `--secret K` read `environment`.
    func overrides(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> TaskOverrides {
        var overrides = TaskOverrides(
            env: env, envFiles: envFiles, secret: secret, secretFiles: secretFiles,
            processEnvironment: environment, workdir: workdir, infra: infra, cloud: cloud,
            region: region, zone: zone, cpus: cpus, memory: memory, gpus: gpus,
            instanceType: instanceType, diskSize: diskSize, diskTier: diskTier,
            networkTier: networkTier, imageID: imageID, useSpot: useSpot, ports: ports,
            numNodes: numNodes, priority: priority, localDisk: localDisk)
        // `infra: <plugin>` / `--infra <plugin>`: installed plugins are backends too.
        overrides.extraBackends = SkyEngine.embedded(environment: environment).pluginBackendNames
        return overrides
    }
}
