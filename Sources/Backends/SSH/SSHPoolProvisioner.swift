import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

/// SSH node pools: the hosts of `ssh_node_pools.yaml` are the nodes (no k3s). A pool is a
/// capacity: a cluster claims `count` free hosts that fit its shape (leases in the state
/// store) and gives them back on terminate. Region = `ssh-<pool>`.
package struct SSHPoolProvisioner: Provisioner, CommandRunnerProvider {
    package static let backendName = "ssh"

    /// The pools file (`$SKY_HOME/ssh_node_pools.yaml` or `~/.sky/ssh_node_pools.yaml`).
    package let poolsFile: String
    /// `$SKY_HOME/ssh`: inventories, control sockets, known_hosts.
    package let stateDirectory: String
    package let userHome: String
    package let leases: any HostLeaseStore

    package init(
        poolsFile: String, stateDirectory: String, userHome: String, leases: any HostLeaseStore
    ) {
        self.poolsFile = poolsFile
        self.stateDirectory = stateDirectory
        self.userHome = userHome
        self.leases = leases
    }

    package var name: String { Self.backendName }
    package var capabilities: Set<ProvisionCapability> { [.multiNode, .autostop] }
    package var offersLiveInventory: Bool { true }

    package var knownHostsFile: String { stateDirectory + "/known_hosts" }
    /// Short: unix socket paths are limited to 108 bytes.
    package var controlDirectory: String { stateDirectory + "/cm" }

    package func loadPools() throws(ProvisionError) -> SSHNodePools {
        do {
            return try SSHNodePools.load(path: poolsFile, home: userHome)
        } catch {
            throw .invalidConfig("\(error)")
        }
    }

    package func checkCredentials() async -> CredentialCheck {
        do {
            let pools = try loadPools().pools
            guard !pools.isEmpty else {
                return CredentialCheck(
                    enabled: false,
                    reason: "No SSH node pools in \(poolsFile). Define one and run 'sky ssh up'.")
            }
            return CredentialCheck(
                enabled: true, reason: "pools: " + pools.map(\.name).joined(separator: ", "))
        } catch {
            return CredentialCheck(enabled: false, reason: error.message)
        }
    }

    // MARK: Runners

    package func sshOptions(_ host: SSHPoolHost, pool: SSHNodePools.Pool?) -> SSHOptions {
        let strictFile = pool?.knownHostsFile
        return SSHOptions(
            host: host.ip, user: host.user, port: host.port, identityFile: host.identityFile,
            proxyJump: host.proxyJump, knownHostsFiles: [strictFile ?? knownHostsFile],
            hostKeyPolicy: strictFile == nil ? .acceptNew : .strict,
            controlDirectory: controlDirectory, connectTimeoutSeconds: 5)
    }

    package func runner(_ host: SSHPoolHost, pool: SSHNodePools.Pool?) -> SSHRunner {
        SSHRunner(options: sshOptions(host, pool: pool), nodeName: host.key)
    }

    package func commandRunners(for info: ClusterInfo) -> [any CommandRunner] {
        zip(info.instances, sshOptions(for: info)).map { instance, options in
            SSHRunner(options: options, nodeName: instance.nodeName ?? instance.internalIP)
        }
    }

    /// ssh options of every node of `info`, head first.
    package func sshOptions(for info: ClusterInfo) -> [SSHOptions] {
        let pool = try? loadPools().pool(region: info.region)
        return info.instances.map { instance in
            let host =
                pool?.hosts.first { $0.key == instance.instanceID }
                ?? SSHPoolHost(
                    ip: instance.internalIP, user: instance.sshUser, port: instance.sshPort,
                    identityFile: instance.identityFile, accelerators: [:], hasPassword: false)
            return sshOptions(host, pool: pool)
        }
    }

    // MARK: Inventory

    /// Probes every host of `pool` in parallel and saves the inventory (`sky ssh up`).
    package func detect(pool: SSHNodePools.Pool) async throws(ProvisionError) -> SSHPoolInventory {
        let facts = await withTaskGroup(of: (Int, SSHHostFacts).self) { group in
            for (index, host) in pool.hosts.enumerated() {
                group.addTask {
                    (index, await SSHHostFacts.detect(host: host, runner: runner(host, pool: pool)))
                }
            }
            var out: [(Int, SSHHostFacts)] = []
            for await item in group { out.append(item) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let inventory = SSHPoolInventory(pool: pool.name, hosts: facts, updatedAt: Date())
        do {
            try inventory.save(directory: stateDirectory)
        } catch {
            throw .internal("Cannot save the inventory of pool '\(pool.name)': \(error)")
        }
        return inventory
    }

    /// The saved inventory, detected now when there is none or it misses hosts.
    package func inventory(of pool: SSHNodePools.Pool) async throws(ProvisionError)
        -> SSHPoolInventory
    {
        if let saved = SSHPoolInventory.load(directory: stateDirectory, pool: pool.name),
            Set(saved.hosts.map(\.host)) == Set(pool.hosts.map(\.key))
        {
            return saved
        }
        return try await detect(pool: pool)
    }

    /// Forgets a pool's inventory and closes its connections (`sky ssh down`). Refuses while
    /// clusters hold hosts of the pool.
    package func release(pool: SSHNodePools.Pool) async throws(ProvisionError) {
        let held = try await leases.leasedHosts(pool: pool.name)
        guard held.isEmpty else {
            throw .invalidConfig(
                "Pool '\(pool.name)' still has hosts in use (\(held.sorted().joined(separator: ", "))). "
                    + "Run 'sky down' on its clusters first.")
        }
        for host in pool.hosts { await runner(host, pool: pool).closeMaster() }
        try? FileManager.default.removeItem(
            atPath: SSHPoolInventory.path(directory: stateDirectory, pool: pool.name))
    }

    // MARK: Offerings

    package func offerings(for resources: Resources) async throws -> [Offering] {
        if let cloud = resources.cloud, cloud != name { return [] }
        var out: [Offering] = []
        for pool in try loadPools().pools {
            if let region = resources.region, region != pool.region, region != pool.name {
                continue
            }
            let inventory = try await inventory(of: pool)
            let held = try await leases.leasedHosts(pool: pool.name)
            out += SSHShapes.offerings(
                pool: pool, inventory: inventory, held: held, resources: resources)
        }
        return out
    }
}
