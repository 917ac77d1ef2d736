import Foundation
import SkyEngine
import Testing

/// `sky check ssh` against the SSH testbed's real sshd hosts: a working pool, a pool whose key
/// the hosts reject, hosts that cannot be reached, a pools file that cannot be read.
@Suite(
    .enabled(
        if: PluginTestbed.ips.count >= 2
            && FileManager.default.fileExists(atPath: PluginTestbed.key),
        "SSH testbed missing: run `eval \"$(Tests/testbed/sshpool.sh env)\"`"))
struct CheckSSHPoolTests {
    /// A fresh key pair no testbed host knows.
    func strangerKey(_ fx: PluginFixture) throws -> String {
        let key = fx.root + "/home/stranger"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        process.arguments = ["-q", "-t", "ed25519", "-N", "", "-f", key]
        try process.run()
        process.waitUntilExit()
        return key
    }

    func engine(_ fx: PluginFixture, pools: String) throws -> SkyEngine {
        try pools.write(
            toFile: fx.root + "/sky/ssh_node_pools.yaml", atomically: true, encoding: .utf8)
        return SkyEngine(
            home: fx.root + "/sky",
            environment: [
                "HOME": fx.root + "/home", "SKY_HOME": fx.root + "/sky", "PATH": "/usr/bin:/bin",
                "SKY_DISABLE_PLUGINS": "1",
            ])
    }

    @Test func goodRejectedAndUnreachablePools() async throws {
        let fx = try PluginFixture(tag: "chkssh")
        defer { fx.cleanUp() }
        let ips = PluginTestbed.ips
        let stranger = try strangerKey(fx)
        let engine = try engine(
            fx,
            pools: """
                good:
                  identity_file: \(PluginTestbed.key)
                  hosts:
                    - ip: \(ips[0])
                      user: sky1
                    - ip: \(ips[1])
                      user: sky2
                rejected:
                  user: sky1
                  identity_file: \(stranger)
                  hosts:
                    - \(ips[0])
                partial:
                  identity_file: \(PluginTestbed.key)
                  hosts:
                    - ip: \(ips[1])
                      user: sky2
                    - ip: \(ips[1])
                      user: sky2
                      port: 2299
                    - ip: \(ips[0])
                      user: sky1
                      identity_file: \(fx.root)/home/no-such-key
                    - ip: 10.77.0.99
                      user: nobody
                """)
        let outcomes = try await engine.check(infra: ["ssh"])
        let ssh = try #require(outcomes.first)
        #expect(ssh.isEnabled)
        #expect(ssh.treeTitle == "SSH Node Pools:")
        let tree = Dictionary(uniqueKeysWithValues: ssh.tree.map { (CheckRendererName.of($0), $0) })
        #expect(
            tree["good"]?.hasPrefix("good: enabled. 2 of 2 host(s) answer.") == true, "\(ssh.tree)")
        let rejected = try #require(tree["rejected"])
        #expect(
            rejected.hasPrefix(
                "rejected: disabled. Reason: sky1@\(ips[0]): the host rejected the key \(stranger)"),
            "\(rejected)")
        #expect(rejected.contains("authorized_keys of sky1 on \(ips[0])"))
        let partial = try #require(tree["partial"])
        #expect(partial.hasPrefix("partial: enabled. 1 of 4 host(s) answer."), "\(partial)")
        // Nothing answers at 10.77.0.99 (a free address of the testbed network).
        #expect(partial.contains("nobody@10.77.0.99: unreachable: "))
        #expect(
            partial.contains("sky2@\(ips[1]):2299: unreachable: connection refused on port 2299"))
        #expect(partial.contains("identity_file \(fx.root)/home/no-such-key does not exist"))

        let text = CheckRenderer.text(outcomes, verbose: false)
        #expect(text.contains("  SSH: enabled [compute]\n    SSH Node Pools:\n"))
        #expect(
            text.contains("  SSH [compute]\n    SSH Node Pools:\n    ├── good\n    └── partial"),
            "\(text)")
        #expect(
            CheckRenderer.json(outcomes, workspace: "default").contains(
                "\"SSH\": [\n      \"compute\"\n    ]"))
    }

    @Test func everyHostRejectingTheKeyDisablesSSHWithAHint() async throws {
        let fx = try PluginFixture(tag: "chkssh2")
        defer { fx.cleanUp() }
        let stranger = try strangerKey(fx)
        let engine = try engine(
            fx,
            pools:
                "lab:\n  user: sky2\n  identity_file: \(stranger)\n  hosts:\n    - \(PluginTestbed.ips[1])\n"
        )
        let ssh = try #require(try await engine.check(infra: ["ssh"]).first)
        #expect(!ssh.isEnabled)
        #expect(ssh.reason?.contains("No host of any pool") == true)
        #expect(ssh.hint?.contains("rerun: sky check ssh") == true)
        let text = CheckRenderer.text([ssh], verbose: false)
        #expect(text.contains("  SSH: disabled\n    Hint [compute]: "))
        #expect(
            text.contains(
                "        SSH Node Pools:\n        └── lab: disabled. Reason: sky2@\(PluginTestbed.ips[1]): the host rejected the key"
            ), "\(text)")
    }

    @Test func anUnreadablePoolsFileAndNoPoolsAreNamed() async throws {
        let fx = try PluginFixture(tag: "chkssh3")
        defer { fx.cleanUp() }
        let broken = try engine(fx, pools: "lab: [unclosed\n")
        let ssh = try #require(try await broken.check(infra: ["ssh"]).first)
        #expect(!ssh.isEnabled)
        #expect(
            ssh.reason?.contains("\(fx.root)/sky/ssh_node_pools.yaml cannot be used") == true,
            "\(ssh.reason ?? "")")
        let empty = try engine(fx, pools: "# nothing yet\n")
        let none = try #require(try await empty.check(infra: ["ssh"]).first)
        #expect(none.reason == "No SSH node pools in \(fx.root)/sky/ssh_node_pools.yaml.")
    }
}

/// The pool / context name of a tree line (`name: enabled. ...`).
enum CheckRendererName {
    static func of(_ line: String) -> String {
        line.range(of: ": ").map { String(line[..<$0.lowerBound]) } ?? line
    }
}
