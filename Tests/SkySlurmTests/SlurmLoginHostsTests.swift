import Foundation
import Testing

@testable import SkySlurm

@Suite("Slurm login nodes: ~/.slurm/config")
struct SlurmLoginHostsTests {
    @Test func hostAliasesWithoutPatternsInFileOrder() {
        let text = """
            # clusters
            Host mycluster
              HostName login.example.org
              User me
            Host=other  third
              Port 2222
            host *.internal
              ProxyJump bastion
            Host !skip gpu?
            HOST mycluster
            Match host foo
            """
        #expect(SlurmLoginHosts.parse(text) == ["mycluster", "other", "third"])
    }

    @Test func missingFileHasNoClusters() throws {
        let hosts = try SlurmLoginHosts.load(path: "/nonexistent/\(UUID().uuidString)/config")
        #expect(hosts.aliases.isEmpty)
    }

    @Test func agentNameIsContentAddressed() {
        let hash = String(repeating: "ab", count: 32)
        #expect(SlurmAgentWire.remoteName(hash: hash) == "sky-slurm-agent-abababababababab")
    }
}
