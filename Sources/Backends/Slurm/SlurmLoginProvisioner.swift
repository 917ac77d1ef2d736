import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import Synchronization

/// The `slurm` backend from a machine outside the Slurm cluster (a laptop): every cluster of
/// `~/.slurm/config` is reached through its login node, where `sky-slurm-agent` runs the same
/// `SlurmProvisioner` on libslurm (`SlurmAgentConnection`). Region = the config's `Host` alias;
/// zone = the partition. Commands on the nodes are job steps started on the login node over
/// ssh (`SlurmLoginRunner`). Constructing it does no I/O: the config is read, and ssh started,
/// on first use.
package struct SlurmLoginProvisioner: Provisioner, CommandRunnerProvider {
    /// `ClusterInfo.providerConfig` keys: the login node's alias and ssh port.
    package static let loginHostKey = "slurm_login_host"
    package static let loginPortKey = "slurm_login_port"

    package let hostsFile: String
    package let configFile: SlurmConfigFile
    package let controlDirectory: String
    package let agent: SlurmBinarySource
    /// The skylet to put into the login home's `~/.sky/bin` while the allocation starts.
    package let skylet: SlurmBinarySource?
    package let environment: [String: String]
    private let state: SlurmLoginState

    package init(
        hostsFile: String, configFile: SlurmConfigFile, controlDirectory: String,
        agent: SlurmBinarySource, skylet: SlurmBinarySource?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.hostsFile = hostsFile
        self.configFile = configFile
        self.controlDirectory = controlDirectory
        self.agent = agent
        self.skylet = skylet
        self.environment = environment
        state = SlurmLoginState()
    }

    package var name: String { SlurmProvisioner.backendName }
    package var capabilities: Set<ProvisionCapability> { [.multiNode, .autostop] }
    package var offersLiveInventory: Bool { true }
    package var maxClusterNameLength: Int { 63 }

    /// Deadlines of agent calls: queries, and calls that wait for Slurm.
    static let quickDeadline: Double = 60
    static let slowDeadline: Double = 1800

    /// The login nodes' aliases (the file is read once).
    package func aliases() throws(ProvisionError) -> [String] {
        let path = hostsFile
        let result = state.hosts.withLock { cached in
            if let cached { return cached }
            let loaded: Result<[String], SlurmError>
            do throws(SlurmError) {
                loaded = .success(try SlurmLoginHosts.load(path: path).aliases)
            } catch {
                loaded = .failure(error)
            }
            cached = loaded
            return loaded
        }
        do {
            return try result.get()
        } catch {
            throw error.provisionError
        }
    }

    /// The connection to `alias` (one per process).
    package func connection(_ alias: String) throws(ProvisionError) -> SlurmAgentConnection {
        guard try aliases().contains(alias) else {
            throw .invalidConfig(
                "No Slurm cluster '\(alias)' in \(hostsFile) (clusters: "
                    + ((try? aliases()) ?? []).joined(separator: ", ") + ").")
        }
        // One connection per login node and Sky home in the process, whichever engine
        // instance asks: a long-lived process (tests, the operator) reuses the agent.
        let key = [hostsFile, controlDirectory, alias].joined(separator: "\n")
        return SlurmLoginState.connections.withLock { connections in
            if let existing = connections[key] { return existing }
            let made = SlurmAgentConnection(
                alias: alias, configFile: hostsFile, controlDirectory: controlDirectory,
                agent: agent, environment: environment)
            connections[key] = made
            return made
        }
    }

    /// Stops the agents this process started for this Sky home and closes their ssh masters.
    package func closeConnections() async {
        let prefix = [hostsFile, controlDirectory].joined(separator: "\n") + "\n"
        let mine = SlurmLoginState.connections.withLock { connections in
            let keys = connections.keys.filter { $0.hasPrefix(prefix) }
            return keys.compactMap { connections.removeValue(forKey: $0) }
        }
        for connection in mine { await connection.close() }
    }

    /// One agent call on `alias` with the `slurm:` settings attached.
    func call(
        _ alias: String, _ method: String, _ params: [(String, JSONValue)] = [],
        slow: Bool = false
    ) async throws(ProvisionError) -> JSONValue {
        let connection = try connection(alias)
        let settings = configFile.section() ?? .null
        return try await connection.call(
            method, params: params + [(SlurmAgentWire.settingsKey, settings)],
            deadline: slow ? Self.slowDeadline : Self.quickDeadline)
    }

    func encode<T: Encodable>(_ value: T) throws(ProvisionError) -> JSONValue {
        do {
            return try SlurmAgentWire.value(value)
        } catch {
            throw .internal("Cannot encode a request for the Slurm agent: \(error)")
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue?, _ method: String)
        throws(ProvisionError) -> T
    {
        do {
            return try SlurmAgentWire.decode(type, from: value)
        } catch {
            throw .internal("The Slurm agent sent an invalid reply to '\(method)': \(error)")
        }
    }

    package func settings() throws(ProvisionError) -> SlurmSettings {
        do {
            return try configFile.load()
        } catch {
            throw error.provisionError
        }
    }

    /// The partitions and nodes of `alias`'s cluster, named by the alias.
    package func inventory(_ alias: String) async throws(ProvisionError) -> SlurmInventory {
        let reply = try await call(alias, SlurmAgentWire.inventoryMethod)
        var inventory = try decode(SlurmInventory.self, reply["inventory"], "inventory")
        inventory.clusterName = alias
        return inventory
    }

    package func providerConfig(resources: Resources, taskConfig: JSONValue?)
        throws(ProvisionError) -> [String: String]
    {
        let config = SlurmSettings.providerConfig(taskConfig: taskConfig)
        let settings = try settings()
        do {
            _ = try settings.sbatchOptions(providerConfig: config)
        } catch {
            throw error.provisionError
        }
        return config
    }

    // MARK: Offerings

    package func offerings(for resources: Resources) async throws -> [Offering] {
        if let cloud = resources.cloud, cloud != name { return [] }
        let settings = (try? settings()) ?? SlurmSettings()
        let pricing = settings.pricing
        let price: SlurmPriceFunction = { _, _, cpus, memoryGB, accelerator, count in
            pricing.price(cpus: cpus, memoryGB: memoryGB, accelerator: accelerator, count: count)
        }
        let targets = try aliases().filter { resources.region == nil || resources.region == $0 }
        return await withTaskGroup(of: [Offering].self) { group in
            for alias in targets {
                group.addTask {
                    // A login node that cannot be reached offers nothing ('sky check slurm'
                    // says why).
                    guard let inventory = try? await self.inventory(alias) else { return [] }
                    return SlurmShapes.offerings(
                        inventory: inventory, resources: resources, price: price,
                        cpuPartition: settings.cpuPartition)
                }
            }
            var out: [Offering] = []
            for await part in group { out += part }
            return out.sorted { ($0.region, $0.zone ?? "") < ($1.region, $1.zone ?? "") }
        }
    }

    // MARK: Runners

    package func commandRunners(for info: ClusterInfo) -> [any CommandRunner] {
        guard let text = info.providerConfig[SlurmProvisioner.jobIDKey], let jobID = UInt32(text)
        else { return [] }
        let alias = info.providerConfig[Self.loginHostKey] ?? info.region
        let port = info.providerConfig[Self.loginPortKey].flatMap { Int($0) } ?? 22
        let login = SSHRunner(
            options: SSHOptions(
                host: alias, port: port, hostKeyPolicy: .acceptNew,
                controlDirectory: controlDirectory, controlPersistSeconds: 600,
                connectTimeoutSeconds: 10, configFile: hostsFile),
            nodeName: alias)
        return info.instances.map { instance in
            SlurmLoginRunner(
                login: login, jobID: jobID, node: instance.nodeName ?? instance.instanceID,
                home: instance.home ?? "")
        }
    }
}

/// State of a `SlurmLoginProvisioner` (the struct is copied freely): the parsed config per
/// instance, the agent connections per process.
final class SlurmLoginState: Sendable {
    let hosts = Mutex<Result<[String], SlurmError>?>(nil)
    static let connections = Mutex<[String: SlurmAgentConnection]>([:])
}
