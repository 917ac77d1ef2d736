import Foundation
import SkyCore
import SkyRuntime
import SkyState
import Testing

@testable import SkyEngine

/// The SSH testbed (`sshpool.sh env`): hosts 10.77.0.11.. with users sky1..
enum LifecycleTestbed {
    static let env = ProcessInfo.processInfo.environment
    static var ips: [String] {
        (env["SKY_TESTBED_SSH_IPS"] ?? "").split(separator: " ").map(String.init)
    }
    static var available: Bool {
        ips.count >= 4 && FileManager.default.fileExists(atPath: env["SKY_TESTBED_SSH_KEY"] ?? "")
            && LifecycleFixture.skyletAvailable
    }

    /// Pools of testbed hosts by index; host keys are trusted on first use into the test's
    /// own known_hosts (what a user without a known_hosts_file gets).
    static func pools(_ pools: [(String, [Int])]) -> String {
        var text = ""
        for (name, indices) in pools {
            text += "\(name):\n  identity_file: \(env["SKY_TESTBED_SSH_KEY"] ?? "")\n  hosts:\n"
            for i in indices { text += "    - ip: \(ips[i])\n      user: sky\(i + 1)\n" }
        }
        return text
    }
}

@Suite(
    .fixtureScope,
    .enabled(
        if: LifecycleTestbed.available,
        "SSH testbed or skylet missing: run `eval \"$(/work/shared/testbed/sshpool.sh env)\"` and build skylet"
    ),
    .serialized)
struct LifecycleSSHTests {
    @Test func oneAndTwoNodeClustersShareAPoolWithoutSharingHosts() async throws {
        let fx = try LifecycleFixture(
            tag: "ssh12", poolsYAML: LifecycleTestbed.pools([("tb", [0, 1, 2, 3])]))
        let one = try await fx.launch(
            "resources:\n  infra: ssh/tb\nrun: hostname", cluster: "one")
        #expect(one.jobStatus == .succeeded)
        let two = try await fx.launch(
            "resources:\n  infra: ssh/tb\nnum_nodes: 2\nrun: echo \"$(hostname) $SKYPILOT_NODE_RANK\"",
            cluster: "two")
        #expect(two.jobStatus == .succeeded)
        let lines = fx.takeLines()
        let hostsOne = try await fx.store.hosts(of: "one").map(\.host)
        let hostsTwo = try await fx.store.hosts(of: "two").map(\.host)
        #expect(hostsOne.count == 1)
        #expect(hostsTwo.count == 2)
        #expect(Set(hostsOne).isDisjoint(with: hostsTwo))
        #expect(lines.contains { $0.hasSuffix(" 1") })
        let statuses = try await fx.engine.status([], refresh: true).map(\.status)
        #expect(statuses == [.up, .up])
        // `ssh <cluster>` works through the managed include.
        let config = try String(contentsOfFile: fx.root + "/.ssh/config", encoding: .utf8)
        #expect(config.contains("Include \(fx.skyHome)/generated/ssh/*"))
        let entry = try String(contentsOfFile: fx.skyHome + "/generated/ssh/two", encoding: .utf8)
        #expect(entry.contains("Host two\n"))
        #expect(entry.contains("Host two-worker1\n"))

        // Relaunch reuses the same hosts.
        let again = try await fx.launch("resources:\n  infra: ssh/tb\nrun: echo ok", cluster: "one")
        #expect(again.jobStatus == .succeeded)
        #expect(try await fx.store.hosts(of: "one").map(\.host) == hostsOne)

        try await fx.engine.down("two")
        try await fx.engine.down("one")
        #expect(try await fx.store.leases(pool: "tb").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fx.skyHome + "/generated/ssh/two"))
        // What the clusters left in the hosts' homes went with them: the next cluster on a host
        // finds no workdir, logs or skylet state of theirs.
        for host in hostsOne + hostsTwo {
            let index = try #require(LifecycleTestbed.ips.firstIndex { host.contains($0) })
            let left = try await ProcessExecution.run(
                [
                    "ssh", "-F", LifecycleTestbed.env["SKY_TESTBED_SSH_CONFIG"] ?? "",
                    "-o", "BatchMode=yes", "node\(index + 1)",
                    "ls -d sky_workdir sky_logs .sky/skylet 2>/dev/null; true",
                ], environment: LifecycleTestbed.env)
            #expect(left.exitCode == 0, "\(left.stderr)")
            #expect(left.stdout.isEmpty, "left on \(host): \(left.stdout)")
        }
    }

    @Test func aFullPoolFailsOverToTheNextPoolWithHistory() async throws {
        let fx = try LifecycleFixture(
            tag: "sshfo", poolsYAML: LifecycleTestbed.pools([("small", [0]), ("big", [1, 2])]))
        let result = try await fx.launch(
            """
            resources:
              ordered:
                - infra: ssh/small
                - infra: ssh/big
            num_nodes: 2
            run: hostname
            """, cluster: "fo")
        #expect(result.jobStatus == .succeeded)
        #expect(result.failoverHistory.count == 1)
        #expect(result.failoverHistory.first?.contains("ssh-small") == true)
        #expect(result.failoverHistory.first?.contains("capacity") == true)
        #expect(try await fx.record("fo")?.region == "ssh-big")

        // Nothing left for a third node anywhere: the error lists every attempt.
        do {
            _ = try await fx.launch("resources:\n  infra: ssh/big\nrun: echo ok", cluster: "none")
            Issue.record("expected the launch to fail")
        } catch {
            #expect("\(error)".contains("Pool 'big' has 0 free host(s)"))
        }
        #expect(try await fx.record("none") == nil)
    }

    @Test func refreshSeesAnUnreachableHostAndItsReturn() async throws {
        guard
            FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
                || FileManager.default.isExecutableFile(atPath: "/sbin/ip")
        else { return }
        let fx = try LifecycleFixture(
            tag: "sshdown", poolsYAML: LifecycleTestbed.pools([("last", [3])]))
        _ = try await fx.launch("resources:\n  infra: ssh/last\nrun: echo ok", cluster: "far")
        let namespace = "skytb-ssh-node4"
        let down = try await run([
            "ip", "netns", "exec", namespace, "ip", "link", "set", "dev", "eth0", "down",
        ])
        guard down == 0 else { return }
        let during = try await fx.engine.status(["far"], refresh: true)
        _ = try await run([
            "ip", "netns", "exec", namespace, "ip", "link", "set", "dev", "eth0", "up",
        ])
        #expect(during.first?.status == .initializing)
        try await _Concurrency.Task.sleep(for: .seconds(1))
        let after = try await fx.engine.status(["far"], refresh: true)
        #expect(after.first?.status == .up)
        try await fx.engine.down("far")
    }

    private func run(_ argv: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = argv
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
