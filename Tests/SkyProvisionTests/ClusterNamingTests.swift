import Testing

@testable import SkyProvision

@Suite struct ClusterNamingTests {
    @Test func md5MatchesKnownDigests() {
        #expect(MD5.hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(
            MD5.hex("The quick brown fox jumps over the lazy dog")
                == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(MD5.hex(String(repeating: "a", count: 200)).count == 32)
        // 0x...ff digest of "" as base 36, checked with Python int(h, 16) -> base36.
        #expect(MD5.base36("") == "ck2u8j60r58fu0sgyxrigm3cu")
    }

    @Test func shortNamesGetTheUserHash() {
        #expect(
            ClusterNaming.nameOnCloud("My_Cluster.1", userHash: "abcdef123456", maxLength: 35)
                == "my-cluster-1-abcdef12")
        #expect(
            ClusterNaming.nameOnCloud("x", userHash: "abcdef12", maxLength: nil) == "x-abcdef12")
    }

    @Test func longNamesAreTruncatedWithANameHash() {
        let name = "a-very-long-cluster-name-for-testing-limits"
        let onCloud = ClusterNaming.nameOnCloud(name, userHash: "abcdef12", maxLength: 35)
        #expect(onCloud.count == 35)
        #expect(onCloud.hasSuffix("-abcdef12"))
        let hash = String(MD5.base36(name).prefix(2))
        #expect(onCloud == "a-very-long-cluster-nam-" + hash + "-abcdef12")
        // Different long names sharing a prefix stay distinct.
        let other = ClusterNaming.nameOnCloud(name + "x", userHash: "abcdef12", maxLength: 35)
        #expect(other != onCloud || MD5.base36(name + "x").prefix(2) == hash.prefix(2))
        #expect(
            ClusterNaming.nameOnCloud(name, userHash: "abcdef12", maxLength: 248)
                == name + "-abcdef12")
    }

    @Test func validClusterNames() {
        #expect(ClusterNaming.isValidClusterName("a"))
        #expect(ClusterNaming.isValidClusterName("my-cluster_1.x2"))
        #expect(!ClusterNaming.isValidClusterName("1abc"))
        #expect(!ClusterNaming.isValidClusterName("abc-"))
        #expect(!ClusterNaming.isValidClusterName("a b"))
        #expect(!ClusterNaming.isValidClusterName(""))
        #expect(!ClusterNaming.isValidClusterName("a/../b"))
    }

    @Test func tagsMarkTheHead() {
        let tags = ClusterNaming.tags(
            nameOnCloud: "c-1234abcd", user: "u", isHead: true,
            labels: ["team": "ml"])
        #expect(tags["skypilot-cluster-name"] == "c-1234abcd")
        #expect(tags["ray-node-type"] == "head")
        #expect(tags["skypilot-head-node"] == "1")
        #expect(tags["team"] == "ml")
    }
}
