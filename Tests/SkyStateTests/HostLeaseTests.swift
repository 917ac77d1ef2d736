import Foundation
import SkyState
import Testing

@Suite struct HostLeaseTests {
    @Test func claimsInPreferenceOrderAndIsIdempotent() async throws {
        let store = try SQLiteStateStore.inMemory()
        let hosts = try await store.claimHosts(
            pool: "p", candidates: ["h3", "h1", "h3", "h2"], count: 2, cluster: "c1")
        #expect(hosts == ["h3", "h1"])
        let again = try await store.claimHosts(
            pool: "p", candidates: ["h2", "h1", "h3"], count: 2, cluster: "c1")
        #expect(again == ["h3", "h1"], "a cluster keeps its hosts and its head")
        let grown = try await store.claimHosts(
            pool: "p", candidates: ["h1", "h2", "h3"], count: 3, cluster: "c1")
        #expect(grown == ["h3", "h1", "h2"])
        #expect(try await store.hosts(of: "c1").map(\.host) == ["h3", "h1", "h2"])
        #expect(try await store.hosts(of: "c1").map(\.rank) == [0, 1, 2])
    }

    @Test func neverHandsOutALeasedHostAndClaimsNothingOnShortage() async throws {
        let store = try SQLiteStateStore.inMemory()
        let a = try await store.claimHosts(
            pool: "p", candidates: ["h1", "h2"], count: 1, cluster: "a")
        let b = try await store.claimHosts(
            pool: "p", candidates: ["h1", "h2"], count: 1, cluster: "b")
        #expect(a == ["h1"] && b == ["h2"])
        do {
            _ = try await store.claimHosts(
                pool: "p", candidates: ["h1", "h2", "h3"], count: 2, cluster: "c")
            Issue.record("two hosts are not free")
        } catch let error as StateError {
            #expect(error == .insufficientHosts(pool: "p", requested: 2, available: 1))
        }
        #expect(try await store.hosts(of: "c").isEmpty, "a failed claim leaves no partial lease")
        // Same host names in another pool are other machines.
        #expect(
            try await store.claimHosts(pool: "q", candidates: ["h1"], count: 1, cluster: "c") == [
                "h1"
            ])

        #expect(try await store.releaseHosts(cluster: "a") == 1)
        let c = try await store.claimHosts(
            pool: "p", candidates: ["h1", "h2", "h3"], count: 2, cluster: "c")
        #expect(c == ["h1", "h3"])
        let leases = try await store.leases(pool: "p")
        #expect(Set(leases.map(\.host)) == ["h1", "h2", "h3"])
        #expect(
            Dictionary(uniqueKeysWithValues: leases.map { ($0.host, $0.cluster) })
                == ["h1": "c", "h2": "b", "h3": "c"])
    }

    @Test func concurrentClaimsAreExclusive() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        let candidates = (0..<10).map { "h\($0)" }
        // Separate stores in one process share a pool; MultiProcessTests covers processes.
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for i in 0..<16 {
                group.addTask {
                    let store = SQLiteStateStore(home: home.path)
                    do {
                        return try await store.claimHosts(
                            pool: "p", candidates: candidates.shuffled(), count: 1,
                            cluster: "c\(i)")
                    } catch StateError.insufficientHosts {
                        return []
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(results.count == 10)
        #expect(Set(results).count == 10)
    }
}
