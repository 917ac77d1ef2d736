import Foundation
import SkyProvision
import SkyRuntime

/// `ssh <cluster>` support, as SkyPilot does it: one generated file per cluster in
/// `$SKY_HOME/generated/ssh/<cluster>` and a single `Include` line at the top of
/// `~/.ssh/config`, added once.
struct SSHConfigInclude {
    let skyHome: String
    let userHome: String

    var directory: String { skyHome + "/generated/ssh" }
    var includeLine: String { "Include \(directory)/*" }
    var userConfig: String { userHome + "/.ssh/config" }

    /// Writes the cluster's entries (head = `<cluster>`, workers = `<cluster>-worker<i>`).
    func write(cluster: String, nodes: [SSHOptions]) throws {
        guard !nodes.isEmpty else { return }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        var text = "# Added by Sky for cluster '\(cluster)'; removed by 'sky down \(cluster)'.\n"
        for (index, node) in nodes.enumerated() {
            let alias = index == 0 ? cluster : "\(cluster)-worker\(index)"
            text += "Host \(alias)\n  HostName \(node.host)\n  Port \(node.port)\n"
            if let user = node.user { text += "  User \(user)\n" }
            if let key = node.identityFile { text += "  IdentityFile \(key)\n  IdentitiesOnly yes\n" }
            if let known = node.knownHostsFiles.first { text += "  UserKnownHostsFile \(known)\n" }
            text += "  StrictHostKeyChecking \(node.hostKeyPolicy == .strict ? "yes" : "accept-new")\n"
            if let jump = node.proxyJump { text += "  ProxyJump \(jump)\n" }
            text += "\n"
        }
        try text.write(toFile: directory + "/" + cluster, atomically: true, encoding: .utf8)
        try ensureInclude()
    }

    func remove(cluster: String) {
        try? FileManager.default.removeItem(atPath: directory + "/" + cluster)
    }

    /// Adds the Include line at the top of `~/.ssh/config` unless it is there.
    func ensureInclude() throws {
        let sshDir = userHome + "/.ssh"
        try FileManager.default.createDirectory(
            atPath: sshDir, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let existing = (try? String(contentsOfFile: userConfig, encoding: .utf8)) ?? ""
        if existing.split(separator: "\n").contains(where: { $0 == includeLine }) { return }
        let updated = "# Added by Sky: ssh to clusters by name.\n\(includeLine)\n\n" + existing
        try updated.write(toFile: userConfig, atomically: true, encoding: .utf8)
        try? FileManager.default.setAttributes(
            [.posixPermissions: 0o600], ofItemAtPath: userConfig)
    }
}
