import SkyProvision
import SkySSH

/// `sky ssh up / down [--infra POOL]`: detect (and remember) what the pool hosts offer, or
/// forget it.
extension SkyEngine {
    package func sshUp(pool: String? = nil) async throws -> [SSHPoolInventory] {
        let backends = await backends()
        var out: [SSHPoolInventory] = []
        for pool in try selectedPools(pool, backends) {
            out.append(try await backends.ssh.detect(pool: pool))
        }
        return out
    }

    package func sshDown(pool: String? = nil) async throws -> [String] {
        let backends = await backends()
        var names: [String] = []
        for pool in try selectedPools(pool, backends) {
            try await backends.ssh.release(pool: pool)
            names.append(pool.name)
        }
        return names
    }

    private func selectedPools(_ name: String?, _ backends: EngineBackends) throws
        -> [SSHNodePools.Pool]
    {
        let pools = try backends.ssh.loadPools()
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
