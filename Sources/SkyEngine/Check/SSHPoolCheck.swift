import Foundation
import SkyProvision
import SkyRuntime
import SkySSH

/// `sky check ssh`: every pool of `ssh_node_pools.yaml`, every host reached with one
/// authenticated `ssh <host> true` (all hosts in parallel, a short connect timeout). A pool is
/// enabled when at least one host answers; each host that does not is named with what to do.
///
/// The check leaves a ControlMaster per host (5 minutes), in a directory per identity file so
/// a pool with another key never rides it: a repeated `sky check` within that time reuses the
/// authenticated connection instead of paying a fresh key exchange per host (a key revoked
/// meanwhile shows up when the master expires). A rejected key never leaves a master.
struct SSHPoolCheck {
    let provisioner: SSHPoolProvisioner
    var connectTimeoutSeconds = 3

    static let treeTitle = "SSH Node Pools:"

    /// One host's result.
    struct HostResult: Sendable {
        var pool: String
        var host: String
        /// nil when the host answered.
        var problem: String?
    }

    func run() async -> CheckOutcome {
        let pools: [SSHNodePools.Pool]
        do {
            pools = try provisioner.loadPools().pools
        } catch {
            return .disabled(
                "ssh", "SSH", "\(provisioner.poolsFile) cannot be used: \(error.message)",
                hint: "Fix the file (format: reference 6.2) and rerun: sky check ssh")
        }
        guard !pools.isEmpty else {
            return .disabled(
                "ssh", "SSH", "No SSH node pools in \(provisioner.poolsFile).",
                hint: "Define a pool (hosts, user, identity_file) there and rerun: sky check ssh")
        }
        let results = await withTaskGroup(of: (Int, HostResult).self) { group in
            var index = 0
            for pool in pools {
                for host in pool.hosts {
                    let order = index
                    index += 1
                    group.addTask { (order, await probe(host, pool: pool)) }
                }
            }
            var out: [(Int, HostResult)] = []
            for await item in group { out.append(item) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var tree: [String] = []
        var enabledPools: [String] = []
        for pool in pools {
            let hosts = results.filter { $0.pool == pool.name }
            let failed = hosts.filter { $0.problem != nil }
            let problems = failed.map {
                "\($0.host): \(($0.problem ?? "").trimmingCharacters(in: CharacterSet(charactersIn: ".")))"
            }
            .joined(separator: "; ")
            if failed.count == hosts.count {
                tree.append("\(pool.name): disabled. Reason: \(problems).")
            } else {
                enabledPools.append(pool.name)
                let note = failed.isEmpty ? "" : " Not answering: \(problems)."
                tree.append(
                    "\(pool.name): enabled. \(hosts.count - failed.count) of \(hosts.count) host(s) answer.\(note)"
                )
            }
        }
        var outcome = CheckOutcome(
            backend: "ssh", displayName: "SSH",
            capabilities: enabledPools.isEmpty ? [] : ["compute"],
            reason: enabledPools.isEmpty
                ? "No host of any pool in \(provisioner.poolsFile) answers ssh."
                : "\(enabledPools.count) of \(pools.count) pool(s) usable: \(enabledPools.joined(separator: ", "))",
            treeTitle: Self.treeTitle, tree: tree)
        if enabledPools.isEmpty {
            outcome.hint = "Fix the hosts named above (reason per host), then rerun: sky check ssh"
        }
        return outcome
    }

    /// `ssh <host> true` with the pool's user, key, port and jump host.
    func probe(_ host: SSHPoolHost, pool: SSHNodePools.Pool) async -> HostResult {
        var options = provisioner.sshOptions(host, pool: pool)
        options.controlDirectory =
            provisioner.controlDirectory + "/" + Self.keyTag(host.identityFile)
        options.connectTimeoutSeconds = connectTimeoutSeconds
        let name = options.destination + (host.port == 22 ? "" : ":\(host.port)")
        func result(_ problem: String?) -> HostResult {
            HostResult(pool: pool.name, host: name, problem: problem)
        }
        if let key = host.identityFile {
            guard FileManager.default.fileExists(atPath: key) else {
                return result(
                    "identity_file \(key) does not exist; fix identity_file of pool '\(pool.name)' in \(provisioner.poolsFile)."
                )
            }
            guard FileManager.default.isReadableFile(atPath: key) else {
                return result("identity_file \(key) is not readable by this user.")
            }
        }
        // No master yet: starting one authenticates (`ssh -fN` returns once logged in), which
        // is the whole check. With a socket, `true` through it also proves the master is alive.
        if let socket = options.controlPath, !FileManager.default.fileExists(atPath: socket) {
            do {
                try await ControlMasters.shared.ensure(options, nodeName: name)
                return result(nil)
            } catch RunnerError.unreachable(_, let detail) {
                return result(
                    Self.explain(
                        detail, exitCode: 255, host: host, pool: pool,
                        poolsFile: provisioner.poolsFile))
            } catch {
                return result("could not run ssh: \(error)")
            }
        }
        let run: CommandResult
        do {
            run = try await SSHRunner(options: options, nodeName: name).run(
                ["true"], stdin: nil, environment: [:])
        } catch RunnerError.unreachable(_, let detail) {
            return result(
                Self.explain(
                    detail, exitCode: 255, host: host, pool: pool, poolsFile: provisioner.poolsFile)
            )
        } catch {
            return result("could not run ssh: \(error)")
        }
        if run.exitCode == 0 { return result(nil) }
        return result(
            Self.explain(
                run.stderr, exitCode: run.exitCode, host: host, pool: pool,
                poolsFile: provisioner.poolsFile))
    }

    /// 8 hex digits naming the identity file (FNV-1a), for the per-key master directory.
    static func keyTag(_ identityFile: String?) -> String {
        var hash: UInt32 = 0x811c_9dc5
        for byte in (identityFile ?? "-").utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// What ssh's stderr means and how to fix it (ssh never prints key material).
    static func explain(
        _ stderr: String, exitCode: Int32, host: SSHPoolHost, pool: SSHNodePools.Pool,
        poolsFile: String
    ) -> String {
        let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        var lastLine =
            text.split(separator: "\n").last.map(String.init) ?? "ssh exited with \(exitCode)"
        // ssh's "user@host: " prefix repeats the host name; the final period ends our sentence.
        if let colon = lastLine.range(of: ": "), lastLine[..<colon.lowerBound].contains("@") {
            lastLine = String(lastLine[colon.upperBound...])
        }
        while lastLine.hasSuffix(".") { lastLine.removeLast() }
        let key = host.identityFile ?? "your default ssh key"
        let user = host.user ?? "the login user"
        if text.contains("UNPROTECTED PRIVATE KEY FILE") || text.contains("bad permissions") {
            return
                "the private key \(key) is readable by others, so ssh ignores it; run 'chmod 600 \(key)'."
        }
        if text.contains("invalid format") || text.contains("error in libcrypto") {
            return
                "\(key) is not a valid private key (\(lastLine)); point identity_file of pool '\(pool.name)' in \(poolsFile) at the right key."
        }
        if text.contains("Permission denied") {
            return
                "the host rejected the key \(key) for \(user) (\(lastLine)); add the public key (\(key).pub) to ~/.ssh/authorized_keys of \(user) on \(host.ip), or set user/identity_file of pool '\(pool.name)' in \(poolsFile)."
        }
        if text.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
            || text.contains("Host key verification failed")
        {
            let file = pool.knownHostsFile ?? "the known_hosts file sky keeps for SSH pools"
            return
                "the host key of \(host.ip) does not match the one recorded in \(file); if the host was reinstalled, remove its old line (ssh-keygen -R \(host.ip) -f <file>)."
        }
        if text.contains("Connection refused") {
            return
                "unreachable: connection refused on port \(host.port); check that sshd runs there and the port is right."
        }
        if text.contains("timed out") || text.contains("No route to host")
            || text.contains("Network is unreachable")
        {
            return
                "unreachable: \(lastLine); check the address, the network path and any proxy_jump."
        }
        if text.contains("Could not resolve hostname") {
            return
                "unreachable: the name \(host.ip) does not resolve; use an IP address or fix DNS."
        }
        return "ssh failed (exit \(exitCode)): \(lastLine)"
    }
}
