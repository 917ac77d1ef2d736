import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

/// A plugin as the engine registers it: the `PluginProvisioner` plus how to reach its nodes
/// (ssh to the addresses it reports). Waiting for `UP` also waits until every node answers
/// ssh, recording new host keys (accept-new) in the engine's known_hosts, so the head can be
/// given the workers' keys.
package struct PluginBackend: Provisioner, CommandRunnerProvider {
    package let plugin: PluginProvisioner
    package let factory: SSHRunnerFactory

    package init(plugin: PluginProvisioner, factory: SSHRunnerFactory) {
        self.plugin = plugin
        self.factory = factory
    }

    package var name: String { plugin.name }
    package var capabilities: Set<ProvisionCapability> { plugin.capabilities }
    package var offersLiveInventory: Bool { true }

    package func commandRunners(for info: ClusterInfo) -> [any CommandRunner] {
        factory.runners(for: info)
    }

    package func offerings(for resources: Resources) async throws -> [Offering] {
        try await plugin.offerings(for: resources)
    }

    package func checkCredentials() async -> CredentialCheck { await plugin.checkCredentials() }

    package func bootstrap(_ config: ProvisionConfig) async throws(ProvisionError)
        -> ProvisionConfig
    {
        try await plugin.bootstrap(config)
    }

    package func runInstances(_ config: ProvisionConfig) async throws(ProvisionError)
        -> ProvisionRecord
    {
        try await plugin.runInstances(config)
    }

    package func waitInstances(_ cluster: ClusterLocator, state: InstanceStatus?)
        async throws(ProvisionError)
    {
        try await plugin.waitInstances(cluster, state: state)
        guard state == .up else { return }
        let info = try await plugin.clusterInfo(cluster)
        let runners = commandRunners(for: info)
        var failures: [String] = []
        for attempt in 0..<10 {
            failures = await withTaskGroup(of: String?.self) { group in
                for runner in runners {
                    group.addTask {
                        do {
                            let result = try await runner.run(
                                ["true"], stdin: nil, environment: [:])
                            return result.exitCode == 0
                                ? nil
                                : "\(runner.nodeName): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
                        } catch {
                            return "\(runner.nodeName): \(error)"
                        }
                    }
                }
                var out: [String] = []
                for await failure in group { if let failure { out.append(failure) } }
                return out
            }
            if failures.isEmpty { return }
            if attempt < 9 { try? await _Concurrency.Task.sleep(for: .seconds(2)) }
        }
        throw .internal(
            "Nodes of plugin '\(name)' are not reachable over ssh: \(failures.joined(separator: "; "))"
        )
    }

    package func queryInstances(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> [InstanceState]
    {
        try await plugin.queryInstances(cluster)
    }

    package func clusterInfo(_ cluster: ClusterLocator) async throws(ProvisionError) -> ClusterInfo
    {
        try await plugin.clusterInfo(cluster)
    }

    package func stopInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        try await plugin.stopInstances(cluster, workerOnly: workerOnly)
    }

    package func terminateInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        try await plugin.terminateInstances(cluster, workerOnly: workerOnly)
    }

    package func openPorts(_ cluster: ClusterLocator, ports: [String]) async throws(ProvisionError)
    {
        try await plugin.openPorts(cluster, ports: ports)
    }

    package func cleanupPorts(_ cluster: ClusterLocator, ports: [String])
        async throws(ProvisionError)
    {
        try await plugin.cleanupPorts(cluster, ports: ports)
    }

    package func queryPorts(_ cluster: ClusterLocator, ports: [String], headIP: String?)
        async throws(ProvisionError) -> [String: [String]]
    {
        try await plugin.queryPorts(cluster, ports: ports, headIP: headIP)
    }
}
