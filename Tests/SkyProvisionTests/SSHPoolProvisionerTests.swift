import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import Testing

@testable import SkySSH

@Suite struct SSHNodePoolsParsingTests {
    @Test func hostsAsStringsOrObjectsWithPoolDefaults() throws {
        let pools = try SSHNodePools.parse(
            """
            gpus:
              user: ubuntu
              identity_file: ~/.ssh/id
              accelerators: H100:8
              hosts:
                - 10.0.0.1
                - ip: 10.0.0.2
                  user: root
                  port: 2222
                  identity_file: /k/other
                  password: hunter2
                  accelerators: A100:4
            cpu:
              proxy_jump: me@bastion
              hosts: [h1.example.com]
            """, home: "/home/me")
        #expect(pools.pools.map(\.name) == ["cpu", "gpus"])
        let gpus = try #require(pools.pool(region: "ssh-gpus"))
        #expect(
            gpus.hosts[0]
                == SSHPoolHost(
                    ip: "10.0.0.1", user: "ubuntu", port: 22, identityFile: "/home/me/.ssh/id",
                    accelerators: ["H100": 8], hasPassword: false))
        #expect(gpus.hosts[1].user == "root")
        #expect(gpus.hosts[1].port == 2222)
        #expect(gpus.hosts[1].key == "10.0.0.2:2222")
        #expect(gpus.hosts[1].accelerators == ["H100": 8, "A100": 4])
        #expect(gpus.hosts[1].hasPassword)
        #expect(!"\(gpus)".contains("hunter2"))
        #expect(pools.pool(named: "cpu")?.hosts.first?.user == nil)
        #expect(pools.pool(named: "cpu")?.hosts.first?.proxyJump == "me@bastion")
        #expect(gpus.hosts[0].proxyJump == nil)
    }

    @Test func badFilesAreExplained() {
        #expect(throws: SSHPoolError.self) { try SSHNodePools.parse("p:\n  user: x\n", home: "/h") }
        #expect(throws: SSHPoolError.self) { try SSHNodePools.parse("- a\n- b\n", home: "/h") }
        #expect(throws: SSHPoolError.self) {
            try SSHNodePools.parse("p:\n  hosts:\n    - {user: x}\n", home: "/h")
        }
    }

    @Test func probeOutputParsing() {
        let host = SSHPoolHost(
            ip: "h", user: nil, port: 22, identityFile: nil, accelerators: ["T4": 2],
            hasPassword: false)
        let facts = SSHHostFacts.parse(
            "cpus 8\nmemkb 16384000\ngpu NVIDIA A100-SXM4-80GB\ngpu NVIDIA A100-SXM4-80GB\n",
            host: host)
        #expect(facts.cpus == 8)
        #expect(facts.memoryGB == 15.6)
        #expect(facts.accelerators == ["A100-80GB": 2, "T4": 2])
        #expect(SSHHostFacts.canonicalGPUName("Tesla T4") == "T4")
        #expect(SSHHostFacts.canonicalGPUName("NVIDIA H100 80GB HBM3") == "H100")
    }
}

@Suite(
    .enabled(
        if: SSHTestbed.available,
        "SSH testbed not configured: run `eval \"$(/work/shared/testbed/sshpool.sh env)\"`"),
    .serialized)
struct SSHPoolProvisionerTests {
    func provisioner(_ yaml: String) throws -> (SSHPoolProvisioner, String) {
        let home = try SSHTestbed.tempHome()
        try yaml.write(toFile: home + "/ssh_node_pools.yaml", atomically: true, encoding: .utf8)
        return (
            SSHPoolProvisioner(
                poolsFile: home + "/ssh_node_pools.yaml", stateDirectory: home + "/ssh",
                userHome: home, leases: MemoryLeaseStore()),
            home
        )
    }

    func config(_ cluster: String, _ offering: Offering, count: Int) -> ProvisionConfig {
        ProvisionConfig(
            clusterName: cluster, clusterNameOnCloud: cluster + "-abcdef12",
            region: offering.region, offering: offering, count: count)
    }

    @Test func detectClaimRunAndRelease() async throws {
        let (ssh, home) = try provisioner(
            SSHTestbed.poolsYAML([("alpha", [2, 3])]) + "    - ip: 10.77.0.49\n      user: nobody\n"
        )
        defer { try? FileManager.default.removeItem(atPath: home) }
        let pool = try #require(try ssh.loadPools().pool(named: "alpha"))
        let inventory = try await ssh.detect(pool: pool)
        #expect(inventory.hosts.count == 3)
        #expect(inventory.hosts.filter(\.reachable).count == 2)
        #expect(inventory.hosts.first?.cpus ?? 0 >= 1)
        #expect(inventory.hosts.last?.reachable == false)

        let offerings = try await ssh.offerings(for: Resources())
        let offering = try #require(offerings.first)
        #expect(offering.region == "ssh-alpha")
        #expect(offering.available == 2)

        let record = try await ssh.runInstances(config("two", offering, count: 2))
        #expect(record.createdInstanceIDs == [SSHTestbed.ips[2], SSHTestbed.ips[3]])
        let locator = ClusterLocator(config("two", offering, count: 2))
        let info = try await ssh.clusterInfo(locator)
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for runner in ssh.commandRunners(for: info) {
                group.addTask {
                    try await runner.run(["hostname"], stdin: nil, environment: [:]).stdout
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }.sorted()
        }
        #expect(names == ["node3\n", "node4\n"])
        #expect(try await ssh.queryInstances(locator).allSatisfy { $0.status == .up })

        // The pool is now full: a second cluster gets a capacity error naming the pool.
        do {
            _ = try await ssh.runInstances(config("more", offering, count: 1))
            Issue.record("expected a capacity error")
        } catch {
            guard case .capacity(let message) = error else {
                Issue.record("expected capacity, got \(error)")
                return
            }
            #expect(message.contains("alpha"))
        }
        #expect(try await ssh.offerings(for: Resources()).first?.available == 0)

        try await ssh.terminateInstances(locator, workerOnly: false)
        #expect(try await ssh.queryInstances(locator).isEmpty)
        #expect(try await ssh.offerings(for: Resources()).first?.available == 2)
    }

    @Test func requestsBiggerThanAnyHostGetNoOffering() async throws {
        let (ssh, home) = try provisioner(SSHTestbed.poolsYAML([("beta", [2])]))
        defer { try? FileManager.default.removeItem(atPath: home) }
        #expect(try await ssh.offerings(for: Resources(cpus: .init(4096))).isEmpty)
        var gpu = Resources()
        gpu.accelerator = .init(name: "H100", count: 1)
        #expect(try await ssh.offerings(for: gpu).isEmpty)
        let check = await ssh.checkCredentials()
        #expect(check.enabled)
    }
}
