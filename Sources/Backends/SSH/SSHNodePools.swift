import Foundation
import Yams

/// One host of a pool after pool defaults are applied.
package struct SSHPoolHost: Sendable, Hashable, Codable {
    package var ip: String
    package var user: String?
    package var port: Int
    package var identityFile: String?
    /// Declared accelerators (`accelerators: NAME:COUNT`), added to what is detected.
    package var accelerators: [String: Double]
    /// Whether a password was given (the password itself is never kept here).
    package var hasPassword: Bool
    /// `proxy_jump`: jump host(s) for `ssh -J` (an extension of the 6.2 format).
    package var proxyJump: String? = nil

    /// The lease key of the host: `ip`, or `ip:port` on a non-default port.
    package var key: String { port == 22 ? ip : "\(ip):\(port)" }
}

/// `~/.sky/ssh_node_pools.yaml` (reference 6.2): pool name -> hosts and pool-wide defaults.
package struct SSHNodePools: Sendable {
    package struct Pool: Sendable, Hashable {
        package var name: String
        package var hosts: [SSHPoolHost]
        /// A known_hosts file the pool's host keys must be in (strict checking); nil = trust
        /// on first use into Sky's own known_hosts.
        package var knownHostsFile: String?

        package var region: String { "ssh-" + name }
    }

    package var pools: [Pool]

    package func pool(named name: String) -> Pool? { pools.first { $0.name == name } }

    /// The pool of a region `ssh-<pool>` (or a bare pool name).
    package func pool(region: String) -> Pool? {
        pool(named: region.hasPrefix("ssh-") ? String(region.dropFirst(4)) : region)
            ?? pool(named: region)
    }

    /// Loads the file; a missing file is no pools.
    package static func load(path: String, home: String) throws -> SSHNodePools {
        guard let data = FileManager.default.contents(atPath: path) else {
            return SSHNodePools(pools: [])
        }
        return try parse(String(decoding: data, as: UTF8.self), home: home, path: path)
    }

    package static func parse(_ text: String, home: String, path: String = "ssh_node_pools.yaml")
        throws -> SSHNodePools
    {
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch {
            throw SSHPoolError.invalidFile(path: path, reason: "\(error)")
        }
        guard let root else { return SSHNodePools(pools: []) }
        guard let top = root as? [String: Any] else {
            throw SSHPoolError.invalidFile(
                path: path, reason: "the top level must map pool names to pools")
        }
        var pools: [Pool] = []
        for name in top.keys.sorted() {
            guard let body = top[name] as? [String: Any] else {
                throw SSHPoolError.invalidFile(
                    path: path, reason: "pool '\(name)' must be a mapping")
            }
            pools.append(try parsePool(name: name, body: body, home: home, path: path))
        }
        return SSHNodePools(pools: pools)
    }

    private static func parsePool(name: String, body: [String: Any], home: String, path: String)
        throws -> Pool
    {
        guard let hostList = body["hosts"] as? [Any], !hostList.isEmpty else {
            throw SSHPoolError.invalidFile(path: path, reason: "pool '\(name)' has no 'hosts' list")
        }
        let poolUser = body["user"] as? String
        let poolKey = (body["identity_file"] as? String).map { expand($0, home: home) }
        let poolPort = intValue(body["port"]) ?? 22
        let poolAccelerators = try accelerators(body["accelerators"], pool: name, path: path)
        let poolPassword = body["password"] != nil
        let poolJump = body["proxy_jump"] as? String
        var hosts: [SSHPoolHost] = []
        for entry in hostList {
            if let ip = entry as? String {
                hosts.append(
                    SSHPoolHost(
                        ip: ip, user: poolUser, port: poolPort, identityFile: poolKey,
                        accelerators: poolAccelerators, hasPassword: poolPassword,
                        proxyJump: poolJump))
            } else if let object = entry as? [String: Any], let ip = object["ip"] as? String {
                var declared = poolAccelerators
                for (k, v) in try accelerators(object["accelerators"], pool: name, path: path) {
                    declared[k] = v
                }
                hosts.append(
                    SSHPoolHost(
                        ip: ip, user: object["user"] as? String ?? poolUser,
                        port: intValue(object["port"]) ?? poolPort,
                        identityFile: (object["identity_file"] as? String).map {
                            expand($0, home: home)
                        } ?? poolKey,
                        accelerators: declared,
                        hasPassword: object["password"] != nil || poolPassword,
                        proxyJump: object["proxy_jump"] as? String ?? poolJump))
            } else {
                throw SSHPoolError.invalidFile(
                    path: path,
                    reason:
                        "pool '\(name)': each host is an address or {ip, user, identity_file, password}"
                )
            }
        }
        let knownHosts = (body["known_hosts_file"] as? String).map { expand($0, home: home) }
        return Pool(name: name, hosts: hosts, knownHostsFile: knownHosts)
    }

    /// `NAME:COUNT`, `NAME` (1), or a mapping `{NAME: COUNT}`.
    private static func accelerators(_ value: Any?, pool: String, path: String) throws
        -> [String: Double]
    {
        guard let value else { return [:] }
        if let text = value as? String {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            let count = parts.count == 2 ? Double(parts[1]) : 1
            guard let name = parts.first, !name.isEmpty, let count else {
                throw SSHPoolError.invalidFile(
                    path: path, reason: "pool '\(pool)': accelerators must look like NAME:COUNT")
            }
            return [name: count]
        }
        if let map = value as? [String: Any] {
            var out: [String: Double] = [:]
            for (k, v) in map { out[k] = (v as? Double) ?? intValue(v).map(Double.init) ?? 1 }
            return out
        }
        throw SSHPoolError.invalidFile(path: path, reason: "pool '\(pool)': bad accelerators")
    }

    private static func intValue(_ value: Any?) -> Int? {
        if let i = value as? Int { return i }
        if let s = value as? String { return Int(s) }
        return nil
    }

    static func expand(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }
}
