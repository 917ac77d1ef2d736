import Foundation
import SkyCore
import SkyLocal
import SkyProvision
import SkyRuntime
import SkySSH
import SkyState

/// The engine's state store and built-in backends, registered by name.
package struct EngineBackends: Sendable {
    package let store: any StateStore
    package let registry: ProvisionerRegistry
    package let local: LocalProvisioner
    package let ssh: SSHPoolProvisioner

    /// The provisioner of a backend name, or nil.
    package func provisioner(_ name: String) async -> (any Provisioner)? {
        await registry.provisioner(named: name)
    }

    /// Runners for every node of `info` (head first).
    package func runners(_ provisioner: any Provisioner, info: ClusterInfo) -> [any CommandRunner] {
        if let provider = provisioner as? any CommandRunnerProvider {
            return provider.commandRunners(for: info)
        }
        return SSHRunnerFactory(
            controlDirectory: ssh.controlDirectory, knownHostsFiles: [ssh.knownHostsFile],
            hostKeyPolicy: .acceptNew, defaultIdentityFile: nil
        ).runners(for: info)
    }
}

extension SkyEngine {
    /// The user's home directory (for `~/.ssh/config`).
    package var userHome: String { environment["HOME"] ?? NSHomeDirectory() }

    package var user: UserIdentity { UserIdentity.current(home: home, environment: environment) }

    /// Opens the state store and registers the built-in backends.
    package func backends() async -> EngineBackends {
        let store = SQLiteStateStore(home: home)
        let registry = ProvisionerRegistry()
        let local = LocalProvisioner(root: home + "/local")
        let ssh = SSHPoolProvisioner(
            poolsFile: home + "/ssh_node_pools.yaml", stateDirectory: home + "/ssh",
            userHome: userHome, leases: StateLeaseStore(store: store))
        await registry.register(local)
        await registry.register(ssh)
        if let slurm = slurmBackend() { await registry.register(slurm) }
        if let kubernetes = kubernetesBackend() { await registry.register(kubernetes) }
        await registerPlugins(in: registry)
        return EngineBackends(store: store, registry: registry, local: local, ssh: ssh)
    }
}
