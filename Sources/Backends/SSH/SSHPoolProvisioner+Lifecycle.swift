import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

extension SSHPoolProvisioner {
    func pool(_ cluster: ClusterLocator) throws(ProvisionError) -> SSHNodePools.Pool {
        let pools = try loadPools()
        guard let pool = pools.pool(region: cluster.region) else {
            throw .invalidConfig(
                "\(SSHPoolError.unknownPool(cluster.region, known: pools.pools.map(\.name)))")
        }
        return pool
    }

    /// Claims `count` free hosts that cover the offering's shape and checks they answer.
    package func runInstances(_ config: ProvisionConfig) async throws(ProvisionError)
        -> ProvisionRecord
    {
        let locator = ClusterLocator(config)
        let pool = try pool(locator)
        let inventory = try await inventory(of: pool)
        let shape = SSHShapes.facts(of: config.offering)
        let fitting = inventory.hosts.filter { $0.covers(shape) }.map(\.host)
        let before = Set(try await leases.hosts(of: config.clusterName))
        let claimed: [String]
        do {
            claimed = try await leases.claimHosts(
                pool: pool.name, candidates: fitting, count: config.count,
                cluster: config.clusterName)
        } catch {
            if case .capacity = error {
                let held = try await leases.leasedHosts(pool: pool.name)
                let free = fitting.filter { !held.contains($0) }.count
                throw .capacity(
                    "Pool '\(pool.name)' has \(free) free host(s) with \(config.offering.instanceType) "
                        + "(\(fitting.count) fit, \(pool.hosts.count) in the pool); \(config.count) needed."
                )
            }
            throw error
        }
        let hosts = claimed.compactMap { key in pool.hosts.first { $0.key == key } }
        let failures = await reachability(hosts, pool: pool).filter { $0.value != nil }
        if !failures.isEmpty {
            let detail = failures.keys.sorted().joined(separator: ", ")
            throw .capacity("Host(s) \(detail) of pool '\(pool.name)' did not answer over ssh.")
        }
        return ProvisionRecord(
            provider: name, region: pool.region, clusterName: config.clusterName,
            headInstanceID: claimed.first ?? "", resumedInstanceIDs: [],
            createdInstanceIDs: claimed.filter { !before.contains($0) })
    }

    package func queryInstances(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> [InstanceState]
    {
        let keys = try await leases.hosts(of: cluster.clusterName)
        let pool = try? pool(cluster)
        let hosts = keys.compactMap { key in pool?.hosts.first { $0.key == key } }
        let answers = await reachability(hosts, pool: pool)
        return keys.map { key in
            guard hosts.contains(where: { $0.key == key }) else {
                return InstanceState(
                    instanceID: key, status: nil, reason: "host removed from the pool file")
            }
            if let problem = answers[key] ?? nil {
                return InstanceState(instanceID: key, status: .initializing, reason: problem)
            }
            return InstanceState(instanceID: key, status: .up)
        }
    }

    package func clusterInfo(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> ClusterInfo
    {
        let pool = try pool(cluster)
        let keys = try await leases.hosts(of: cluster.clusterName)
        guard !keys.isEmpty else {
            throw .notFound(
                "Cluster '\(cluster.clusterName)' holds no host of pool '\(pool.name)'.")
        }
        let instances = keys.enumerated().compactMap { index, key -> InstanceInfo? in
            guard let host = pool.hosts.first(where: { $0.key == key }) else { return nil }
            return InstanceInfo(
                instanceID: key, internalIP: host.ip, sshPort: host.port, sshUser: host.user,
                identityFile: host.identityFile, nodeName: key,
                tags: ["skypilot-head-node": index == 0 ? "1" : "0"])
        }
        return ClusterInfo(
            provider: name, region: pool.region, clusterNameOnCloud: cluster.clusterNameOnCloud,
            instances: instances, headInstanceID: keys.first, sshUser: nil,
            providerConfig: ["pool": pool.name])
    }

    /// Stops the skylet and the jobs it started on every host (best effort: an unreachable
    /// host cannot be cleaned), then releases the hosts.
    package func terminateInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        let keys = try await leases.hosts(of: cluster.clusterName)
        let pool = try? pool(cluster)
        let hosts = keys.enumerated()
            .filter { !workerOnly || $0.offset > 0 }
            .compactMap { _, key in pool?.hosts.first { $0.key == key } }
        await withTaskGroup(of: Void.self) { group in
            for host in hosts {
                group.addTask {
                    let runner = runner(host, pool: pool)
                    _ = try? await runner.run(
                        [
                            "sh", "-c", Self.cleanupScript, "sky-cleanup",
                            cluster.clusterNameOnCloud,
                        ],
                        stdin: nil, environment: [:])
                    await runner.closeMaster()
                }
            }
        }
        if !workerOnly { try await leases.releaseHosts(cluster: cluster.clusterName) }
    }

    /// Removes the cluster key Sky authorized (and its copy on a head); then kills the skylet
    /// daemon's process group and the job process groups it recorded and removes its state,
    /// the synced workdir and the jobs' logs, so the next cluster on the host starts clean (as
    /// a cloud VM's disk goes with it). On a head, only when the skylet state there belongs to
    /// this cluster (`$1` = its name on cloud); a worker has no skylet state.
    static let cleanupScript = """
        k="$HOME/.ssh/authorized_keys"
        if [ -f "$k" ] && grep -q ' sky-cluster-key$' "$k"; then
          grep -v ' sky-cluster-key$' "$k" > "$k.sky-tmp" && cat "$k.sky-tmp" > "$k"; rm -f "$k.sky-tmp"
        fi
        rm -f "$HOME/.sky/keys/sky-key"
        d="$HOME/.sky/skylet"
        if [ ! -f "$d/cluster.json" ]; then
          [ -f "$d/daemon.pid" ] || rm -rf "$d" "$HOME/sky_workdir" "$HOME/sky_logs"
          exit 0
        fi
        grep -Eq '"clusterNameOnCloud" *: *"'"$1"'"' "$d/cluster.json" || exit 0
        for f in "$d/daemon.pid" "$d"/jobs/*.pid "$d"/*.pgid; do
          [ -f "$f" ] || continue
          p=$(cat "$f" 2>/dev/null)
          case "$p" in ''|*[!0-9]*) continue;; esac
          kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
        done
        rm -rf "$d" "$HOME/sky_workdir" "$HOME/sky_logs"
        exit 0
        """

    /// For each host: nil when `true` ran, else the reason.
    func reachability(_ hosts: [SSHPoolHost], pool: SSHNodePools.Pool?) async
        -> [String: String?]
    {
        await withTaskGroup(of: (String, String?).self) { group in
            for host in hosts {
                group.addTask {
                    do {
                        let result = try await runner(host, pool: pool).run(
                            ["true"], stdin: nil, environment: [:])
                        return (host.key, result.exitCode == 0 ? nil : "exit \(result.exitCode)")
                    } catch {
                        return (host.key, "unreachable: \(error)")
                    }
                }
            }
            var out: [String: String?] = [:]
            for await (key, problem) in group { out[key] = problem }
            return out
        }
    }
}
