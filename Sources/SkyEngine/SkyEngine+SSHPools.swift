import SkyProvision
import SkySSH

/// One host of an SSH node pool as `sky ssh up` reports it.
package struct SSHHostView: Sendable {
    package var host: String
    package var reachable: Bool
    package var cpus: Double
    package var memoryGB: Double
    package var accelerators: [String: Double]
    package var error: String?
}

/// One pool as `sky ssh up` reports it.
package struct SSHPoolView: Sendable {
    package var pool: String
    package var hosts: [SSHHostView]
}

/// `sky ssh up / down [--infra POOL]`: detect (and remember) what the pool hosts offer, or
/// forget it.
extension SkyEngine {
    /// `file`: a pools file to use instead of `$SKY_HOME/ssh_node_pools.yaml` for this call.
    package func sshUp(pool: String? = nil, file: String? = nil) async throws -> [SSHPoolView] {
        let backends = await backends()
        let ssh =
            file.map {
                SSHPoolProvisioner(
                    poolsFile: $0, stateDirectory: backends.ssh.stateDirectory,
                    userHome: userHome, leases: backends.ssh.leases)
            } ?? backends.ssh
        var out: [SSHPoolView] = []
        for pool in try selectedPools(pool, ssh) {
            let inventory = try await ssh.detect(pool: pool)
            out.append(
                SSHPoolView(
                    pool: inventory.pool,
                    hosts: inventory.hosts.map {
                        SSHHostView(
                            host: $0.host, reachable: $0.reachable, cpus: $0.cpus,
                            memoryGB: $0.memoryGB, accelerators: $0.accelerators, error: $0.error)
                    }))
        }
        return out
    }

    package func sshDown(pool: String? = nil) async throws -> [String] {
        let backends = await backends()
        var names: [String] = []
        for pool in try selectedPools(pool, backends.ssh) {
            try await backends.ssh.release(pool: pool)
            names.append(pool.name)
        }
        return names
    }

    private func selectedPools(_ name: String?, _ ssh: SSHPoolProvisioner) throws
        -> [SSHNodePools.Pool]
    {
        let pools = try ssh.loadPools()
        guard let name else {
            guard !pools.pools.isEmpty else {
                throw SSHPoolError.unknownPool("(any)", known: [])
            }
            return pools.pools
        }
        let bare = name.hasPrefix("ssh/") ? String(name.dropFirst(4)) : name
        guard let pool = pools.pool(named: bare) ?? pools.pool(region: bare) else {
            throw SSHPoolError.unknownPool(bare, known: pools.pools.map(\.name))
        }
        return [pool]
    }
}
