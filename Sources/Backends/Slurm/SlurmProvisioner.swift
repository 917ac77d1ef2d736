import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

/// $/hour of one node: (region, partition, cpus, memory GB, accelerator, count).
package typealias SlurmPriceFunction =
    @Sendable (String, String, Double, Double, String?, Double) -> Double

/// The `slurm` backend through libslurm. A Sky cluster is one long-running batch job (the
/// allocation) named `clusterNameOnCloud`; its nodes are the allocation's nodes. Region = the
/// Slurm cluster's `ClusterName`, zone = the partition. Commands run on the nodes as job steps
/// (`srun --overlap --jobid=<allocation>`), so Sky must run where libslurm and `srun` reach
/// slurmctld (a login node, or any machine with the cluster's `slurm.conf` and munge).
package struct SlurmProvisioner: Provisioner, CommandRunnerProvider {
    package static let backendName = "slurm"
    /// `ClusterInfo.providerConfig` key of the allocation's job id.
    package static let jobIDKey = "slurm_job_id"

    /// Where the `slurm:` settings come from (read on first use).
    package let configFile: SlurmConfigFile
    /// Environment for locating `slurm.conf` and the user's home (default: this process's).
    package let environment: [String: String]
    /// How often `waitInstances` polls slurmctld.
    package let pollInterval: Duration
    /// $/hour of one node: (region, partition, cpus, memory GB, accelerator, count). nil =
    /// `settings.pricing`. The engine may pass SkyCatalog's `LivePricing` (pricing.csv with
    /// per-cluster / per-partition rows) here.
    package let price: SlurmPriceFunction?
    /// The skylet the engine runs on the head: installed into the shared `~/.sky/bin` while
    /// the allocation starts (atomically, so concurrent launches share one copy). nil: the
    /// runtime set-up installs it.
    package let skylet: SlurmBinarySource?

    package init(
        settings: SlurmSettings = SlurmSettings(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        pollInterval: Duration = .milliseconds(500), price: SlurmPriceFunction? = nil,
        skylet: SlurmBinarySource? = nil
    ) {
        self.init(
            configFile: SlurmConfigFile(settings: settings), environment: environment,
            pollInterval: pollInterval, price: price, skylet: skylet)
    }

    /// Settings from a `config.yaml` read on first use (registration does no I/O).
    package init(
        configFile: SlurmConfigFile,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        pollInterval: Duration = .milliseconds(500), price: SlurmPriceFunction? = nil,
        skylet: SlurmBinarySource? = nil
    ) {
        self.configFile = configFile
        self.environment = environment
        self.pollInterval = pollInterval
        self.price = price
        self.skylet = skylet
    }

    /// The settings (defaults when the config's `slurm:` section is invalid; `loadSettings`
    /// says why, and the launch path calls it first).
    package var settings: SlurmSettings { (try? configFile.load()) ?? SlurmSettings() }

    package func loadSettings() throws(ProvisionError) -> SlurmSettings {
        do {
            return try configFile.load()
        } catch {
            throw error.provisionError
        }
    }

    package var name: String { Self.backendName }
    /// No stop (an allocation cannot be paused); autostop means down (the engine downs a
    /// backend without `.stop` when the skylet's autostop fires).
    package var capabilities: Set<ProvisionCapability> { [.multiNode, .autostop] }
    package var offersLiveInventory: Bool { true }
    /// Slurm job names may be long; keep them readable in `squeue`.
    package var maxClusterNameLength: Int { 63 }

    package func client() throws(ProvisionError) -> SlurmClient {
        do {
            return try SlurmClient(environment: environment)
        } catch {
            throw error.provisionError
        }
    }

    /// Runs a client call, mapping Slurm errors to provisioning errors.
    func call<T>(_ body: (SlurmClient) async throws(SlurmError) -> T) async throws(ProvisionError)
        -> T
    {
        let client = try client()
        do {
            return try await body(client)
        } catch {
            throw error.provisionError
        }
    }

    package func inventory() async throws(ProvisionError) -> SlurmInventory {
        try await call { client throws(SlurmError) in
            SlurmInventory(
                clusterName: try await client.clusterName(),
                partitions: try await client.partitions(), nodes: try await client.nodes())
        }
    }

    /// The task's `config.slurm.sbatch_options`, validated here so a protected or unknown
    /// key fails the launch before anything is submitted.
    package func providerConfig(resources: Resources, taskConfig: JSONValue?)
        throws(ProvisionError) -> [String: String]
    {
        let config = SlurmSettings.providerConfig(taskConfig: taskConfig)
        let settings = try loadSettings()
        do {
            _ = try settings.sbatchOptions(providerConfig: config)
        } catch {
            throw error.provisionError
        }
        return config
    }

    // MARK: Check

    package func checkCredentials() async -> CredentialCheck {
        let report = await SlurmCheck.run(self)
        guard report.ok else { return CredentialCheck(enabled: false, reason: report.summary) }
        // A summary line, then one line per Slurm cluster (`sky check` prints them as a tree).
        let cluster = report.clusterName ?? "?"
        return CredentialCheck(
            enabled: true,
            reason: "1 Slurm cluster (\(report.configPath)): \(cluster)\n"
                + "\(cluster): enabled. \(report.summary)")
    }

    // MARK: Offerings

    package func offerings(for resources: Resources) async throws -> [Offering] {
        if let cloud = resources.cloud, cloud != name { return [] }
        let configPath = SlurmClient.configPath(environment: environment)
        guard FileManager.default.isReadableFile(atPath: configPath) else { return [] }
        let inventory: SlurmInventory
        do {
            inventory = try await self.inventory()
        } catch .credentials, .invalidConfig {
            return []  // not usable here: 'sky check slurm' says why
        }
        if let region = resources.region, region != inventory.clusterName { return [] }
        return SlurmShapes.offerings(
            inventory: inventory, resources: resources, price: priceFunction,
            cpuPartition: settings.cpuPartition)
    }

    /// `price`, or `settings.pricing` as a function.
    var priceFunction: SlurmPriceFunction {
        if let price { return price }
        let pricing = settings.pricing
        return { _, _, cpus, memoryGB, accelerator, count in
            pricing.price(cpus: cpus, memoryGB: memoryGB, accelerator: accelerator, count: count)
        }
    }

    // MARK: Runners

    package func commandRunners(for info: ClusterInfo) -> [any CommandRunner] {
        guard let text = info.providerConfig[Self.jobIDKey], let jobID = UInt32(text) else {
            return []
        }
        return info.instances.map { instance in
            SlurmRunner(
                jobID: jobID, node: instance.nodeName ?? instance.instanceID,
                home: instance.home ?? clusterHome(info.clusterNameOnCloud),
                baseEnvironment: environment)
        }
    }
}
