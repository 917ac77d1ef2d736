import Foundation
import SkyCore
import SkyPluginKit
import SkyProvision
import SkySlurm

/// The agent's methods: each builds a `SlurmProvisioner` with the caller's `slurm:` settings
/// (sent with every request) and this login node's environment (its `slurm.conf`, munge,
/// home), and answers with the provisioner's Codable values.
struct SlurmAgentMethods: Sendable {
    let environment: [String: String]

    struct CheckReply: Encodable, Sendable {
        var enabled: Bool
        var reason: String
        var clusterName: String?
        var configPath: String
    }

    var table: [String: PluginMethod] {
        [
            SlurmAgentWire.listenMethod: { _ in
                let path = try SlurmAgentListener.socketPath(environment: environment)
                try SlurmAgentListener.ensure(path: path, environment: environment)
                return ["socket": path]
            },
            "checkCredentials": { call in
                let check = await SlurmCheck.run(try provisioner(call))
                let reason =
                    check.ok
                    ? "\(check.clusterName ?? "?") (\(check.configPath)): \(check.summary)"
                    : check.summary
                return CheckReply(
                    enabled: check.ok, reason: reason, clusterName: check.clusterName,
                    configPath: check.configPath)
            },
            SlurmAgentWire.inventoryMethod: { call in
                let slurm = try provisioner(call)
                let inventory = try await run { () async throws(ProvisionError) in
                    try await slurm.inventory()
                }
                return ["inventory": inventory]
            },
            "runInstances": { call in
                let config = try call.decode(ProvisionConfig.self, key: "config")
                let slurm = try provisioner(call)
                return try await ProvisionProgress.$current.withValue(
                    ProvisionProgress { call.progress($0) }
                ) {
                    try await run { () async throws(ProvisionError) in
                        try await slurm.runInstances(config)
                    }
                }
            },
            "waitInstances": { call in
                let cluster = try call.decode(ClusterLocator.self, key: "cluster")
                let state = try call.decode(InstanceStatus?.self, key: "state")
                let slurm = try provisioner(call)
                // Why the allocation waits reaches the user as `progress` notifications.
                try await ProvisionProgress.$current.withValue(
                    ProvisionProgress { call.progress($0) }
                ) {
                    try await run { () async throws(ProvisionError) in
                        try await slurm.waitInstances(cluster, state: state)
                    }
                }
                return [String: String]()
            },
            "queryInstances": { call in
                let cluster = try call.decode(ClusterLocator.self, key: "cluster")
                let slurm = try provisioner(call)
                let states = try await run { () async throws(ProvisionError) in
                    try await slurm.queryInstances(cluster)
                }
                return ["instances": states]
            },
            "clusterInfo": { call in
                let cluster = try call.decode(ClusterLocator.self, key: "cluster")
                let slurm = try provisioner(call)
                return try await run { () async throws(ProvisionError) in
                    try await slurm.clusterInfo(cluster)
                }
            },
            "terminateInstances": { call in
                let cluster = try call.decode(ClusterLocator.self, key: "cluster")
                let workerOnly = (try? call.decode(Bool.self, key: "workerOnly")) ?? false
                let slurm = try provisioner(call)
                try await run { () async throws(ProvisionError) in
                    try await slurm.terminateInstances(cluster, workerOnly: workerOnly)
                }
                return [String: String]()
            },
        ]
    }

    /// The provisioner for one request: settings from `params.settings`.
    func provisioner(_ call: PluginCall) throws -> SlurmProvisioner {
        let params = try JSONValue.parse(call.params)
        let settings: SlurmSettings
        do {
            settings = try SlurmSettings(
                config: params[SlurmAgentWire.settingsKey].flatMap {
                    $0 == .null ? nil : $0
                })
        } catch {
            throw PluginFailure(code: "invalidConfig", message: error.description)
        }
        return SlurmProvisioner(settings: settings, environment: environment)
    }

    /// Runs a provisioner call; its error becomes the protocol's error object (same code).
    func run<T>(_ body: () async throws(ProvisionError) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            var retryable = false
            if case .capacity = error { retryable = true }
            throw PluginFailure(code: error.code, message: error.message, retryable: retryable)
        }
    }
}
