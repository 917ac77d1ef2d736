import Foundation
import SkyCore
import SkyState
import Testing

@Suite struct ClusterStoreTests {
    @Test func roundTripsEveryField() async throws {
        let clock = ManualClock()
        try await withFileStore(clock: clock) { store, _ in
            var record = sampleCluster("c1", status: .up)
            record.everUp = true
            let saved = try await store.upsertCluster(record)
            #expect(saved.updatedAt == clock.now)
            record.updatedAt = clock.now
            #expect(saved == record)
            let read = try await store.cluster(named: "c1")
            #expect(read == record)
            #expect(read?.accelerators == ["A100": 8])
            #expect(read?.labels == ["team": "ml", "env": "dev"])
            #expect(read?.handle == #"{"head_ip":"10.0.0.1"}"#)
        }
    }

    @Test func optionalFieldsRoundTripAsNil() async throws {
        let store = try SQLiteStateStore.inMemory()
        let record = ClusterRecord(
            name: "bare", userName: "u", userHash: "h", clusterHash: "x", updatedAt: Date())
        let saved = try await store.upsertCluster(record)
        let read = try #require(try await store.cluster(named: "bare"))
        #expect(read == saved)
        #expect(read.cloud == nil && read.cpus == nil && read.handle == nil)
        #expect(read.accelerators.isEmpty && read.labels.isEmpty)
        #expect(read.autostopMinutes == -1 && !read.hasAutostop)
    }

    @Test func upsertReplacesAndListsNewestLaunchFirst() async throws {
        let store = try SQLiteStateStore.inMemory()
        var old = sampleCluster("old")
        old.launchedAt = Date(timeIntervalSince1970: 100)
        var new = sampleCluster("new")
        new.launchedAt = Date(timeIntervalSince1970: 200)
        try await store.upsertCluster(old)
        try await store.upsertCluster(new)
        old.numNodes = 4
        try await store.upsertCluster(old)
        let all = try await store.clusters()
        #expect(all.map(\.name) == ["new", "old"])
        #expect(all.last?.numNodes == 4)
    }

    @Test func statusChangesAreRecordedAsEvents() async throws {
        let store = try SQLiteStateStore.inMemory()
        try await store.upsertCluster(sampleCluster("c1"))
        let up = try await store.updateClusterStatus(named: "c1", to: .up)
        #expect(up?.status == .up && up?.everUp == true)
        try await store.updateClusterStatus(named: "c1", to: .up)  // no change, no event
        try await store.updateClusterStatus(named: "c1", to: .stopped)
        try await store.deleteCluster(named: "c1")
        let messages = try await store.events(cluster: "c1").map(\.message)
        #expect(messages == ["STOPPED -> TERMINATED", "UP -> STOPPED", "INIT -> UP", "-> INIT"])
        #expect(try await store.cluster(named: "c1") == nil)
    }

    @Test func updateOfMissingClusterReturnsNil() async throws {
        let store = try SQLiteStateStore.inMemory()
        #expect(try await store.updateClusterStatus(named: "nope", to: .up) == nil)
        #expect(try await store.deleteCluster(named: "nope") == false)
    }

    @Test func updateClusterCannotRenameAndLosesNoConcurrentUpdate() async throws {
        try await withFileStore { store, _ in
            try await store.upsertCluster(sampleCluster("shared"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await store.updateCluster(named: "shared") {
                            $0.priority += 1
                            $0.name = "renamed"
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.cluster(named: "shared")?.priority == 53)
            #expect(try await store.cluster(named: "renamed") == nil)
        }
    }

    @Test func deleteReleasesTheClustersHosts() async throws {
        let store = try SQLiteStateStore.inMemory()
        try await store.upsertCluster(sampleCluster("c1"))
        _ = try await store.claimHosts(pool: "p", candidates: ["a", "b"], count: 2, cluster: "c1")
        try await store.deleteCluster(named: "c1")
        #expect(try await store.leases(pool: "p").isEmpty)
    }

    @Test func eventsAreNewestFirstAndLimited() async throws {
        let store = try SQLiteStateStore.inMemory()
        for i in 0..<5 {
            try await store.addEvent(ClusterEvent(cluster: "c", kind: .launch, message: "m\(i)"))
        }
        try await store.addEvent(ClusterEvent(cluster: "other", kind: "custom", message: "x"))
        let two = try await store.events(cluster: "c", limit: 2)
        #expect(two.map(\.message) == ["m4", "m3"])
        #expect(two.allSatisfy { $0.id != nil && $0.kind == .launch })
        let all = try await store.events(cluster: nil, limit: nil)
        #expect(all.count == 6 && all.first?.kind.rawValue == "custom")
    }

    @Test func statusJSONUsesSkyPilotKeysAndHidesTheHandle() {
        let json = sampleCluster("c1", status: .up).statusJSON
        #expect(json["name"] == .string("c1"))
        #expect(json["status"] == .string("UP"))
        #expect(json["launched_at"] == .int(1_700_000_000))
        #expect(json["autostop"] == .int(10) && json["to_down"] == .bool(true))
        #expect(json["resources_str"] == .string("1x AWS(p4d.24xlarge)"))
        #expect(json["nodes"] == .int(1) && json["cpus"] == .int(8))
        #expect(json["accelerators"] == .object([("A100", .int(8))]))
        #expect(json["labels"]?["team"] == .string("ml"))
        #expect(json["handle"] == nil)
        #expect(!json.encoded().contains("10.0.0.1"))
    }
}
