import Foundation
import SkyProvision

/// Host leases in memory, with the same contract as the state store's.
actor MemoryLeaseStore: HostLeaseStore {
    private var leases: [(pool: String, host: String, cluster: String)] = []

    func claimHosts(pool: String, candidates: [String], count: Int, cluster: String)
        async throws(ProvisionError) -> [String]
    {
        let held = leases.filter { $0.cluster == cluster && $0.pool == pool }.map(\.host)
        let taken = Set(leases.map(\.host))
        let free = candidates.filter { !taken.contains($0) }
        guard held.count + free.count >= count else {
            throw .capacity("pool \(pool): \(free.count) free, \(count - held.count) more needed")
        }
        let new = free.prefix(max(0, count - held.count))
        for host in new { leases.append((pool, host, cluster)) }
        return held + new
    }

    func releaseHosts(cluster: String) async throws(ProvisionError) {
        leases.removeAll { $0.cluster == cluster }
    }

    func hosts(of cluster: String) async throws(ProvisionError) -> [String] {
        leases.filter { $0.cluster == cluster }.map(\.host)
    }

    func leasedHosts(pool: String) async throws(ProvisionError) -> Set<String> {
        Set(leases.filter { $0.pool == pool }.map(\.host))
    }
}

/// The SSH testbed, when `sshpool.sh env` variables are set.
enum SSHTestbed {
    static let env = ProcessInfo.processInfo.environment
    static var ips: [String] {
        (env["SKY_TESTBED_SSH_IPS"] ?? "").split(separator: " ").map(String.init)
    }
    static var key: String { env["SKY_TESTBED_SSH_KEY"] ?? "" }
    static var available: Bool {
        ips.count >= 4 && FileManager.default.fileExists(atPath: key)
    }

    /// A pools file: each pool lists testbed hosts by index (0-based), strict host keys
    /// against the testbed's known_hosts.
    static func poolsYAML(_ pools: [(String, [Int])], extraHosts: [String: [String]] = [:])
        -> String
    {
        var text = ""
        for (name, indices) in pools {
            text += "\(name):\n  identity_file: \(key)\n"
            if let known = env["SKY_TESTBED_SSH_KNOWN_HOSTS"] {
                text += "  known_hosts_file: \(known)\n"
            }
            text += "  hosts:\n"
            for i in indices { text += "    - ip: \(ips[i])\n      user: sky\(i + 1)\n" }
            for extra in extraHosts[name] ?? [] {
                text += "    - ip: \(extra)\n      user: nobody\n"
            }
        }
        return text
    }

    static func tempHome() throws -> String {
        let path = "/tmp/sky-ssh-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
