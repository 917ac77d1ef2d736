import Foundation
import SkyState
import Testing

@Suite struct CostReportTests {
    @Test func intervalsFollowStatusAndCostIsDurationTimesPriceTimesNodes() async throws {
        let clock = ManualClock()
        let store = try SQLiteStateStore.inMemory(clock: clock.function)
        // 2 nodes at $3/h: 1 h INIT+UP, 2 h stopped (not billed), 30 min up, then down.
        try await store.upsertCluster(sampleCluster("c1", hash: "h1", hourlyCost: 3, numNodes: 2))
        clock.advance(seconds: 600)
        try await store.updateClusterStatus(named: "c1", to: .up)
        clock.advance(seconds: 3000)
        try await store.updateClusterStatus(named: "c1", to: .stopped)
        clock.advance(seconds: 7200)
        try await store.updateClusterStatus(named: "c1", to: .up)
        clock.advance(seconds: 1800)
        try await store.deleteCluster(named: "c1")
        clock.advance(seconds: 60)

        let intervals = try await store.usageIntervals(clusterHash: "h1")
        #expect(intervals.count == 2)
        #expect(intervals.allSatisfy { $0.end != nil })
        let report = try await store.costReport(days: 30, userHash: nil)
        let row = try #require(report.first)
        #expect(report.count == 1)
        #expect(row.name == "c1" && row.status == "TERMINATED")
        #expect(row.duration == 5400)
        #expect(abs(row.totalCost - 1.5 * 3 * 2) < 1e-9)
        #expect(row.numNodes == 2 && row.hourlyCost == 3)
        #expect(row.launchedAt == Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func runningClusterCountsUpToNowAndShowsItsStatus() async throws {
        let clock = ManualClock()
        let store = try SQLiteStateStore.inMemory(clock: clock.function)
        try await store.upsertCluster(sampleCluster("live", status: .up, hourlyCost: 2))
        clock.advance(seconds: 7200)
        let row = try #require(try await store.costReport(days: 1, userHash: nil).first)
        #expect(row.status == "UP")
        #expect(row.duration == 7200 && abs(row.totalCost - 4) < 1e-9)
    }

    @Test func resizingSplitsTheIntervalAtTheNewPrice() async throws {
        let clock = ManualClock()
        let store = try SQLiteStateStore.inMemory(clock: clock.function)
        try await store.upsertCluster(sampleCluster("c", status: .up, hourlyCost: 1))
        clock.advance(seconds: 3600)
        try await store.updateCluster(named: "c") { $0.numNodes = 4 }
        clock.advance(seconds: 3600)
        let intervals = try await store.usageIntervals(clusterHash: "c-hash")
        #expect(intervals.map(\.numNodes) == [1, 4])
        let row = try #require(try await store.costReport(days: 1, userHash: nil).first)
        #expect(abs(row.totalCost - (1 + 4)) < 1e-9)
        #expect(row.numNodes == 4)
    }

    @Test func relaunchAfterDownIsANewRowAndOldRowsAgeOut() async throws {
        let clock = ManualClock()
        let store = try SQLiteStateStore.inMemory(clock: clock.function)
        try await store.upsertCluster(sampleCluster("c", status: .up, hash: "first"))
        clock.advance(seconds: 3600)
        try await store.deleteCluster(named: "c")
        clock.advance(seconds: 3 * 86_400)
        try await store.upsertCluster(sampleCluster("c", status: .up, hash: "second"))
        clock.advance(seconds: 60)

        let all = try await store.costReport(days: 30, userHash: nil)
        #expect(all.map(\.clusterHash) == ["second", "first"])
        #expect(all.map(\.status) == ["UP", "TERMINATED"])
        let recent = try await store.costReport(days: 2, userHash: nil)
        #expect(recent.map(\.clusterHash) == ["second"])
    }

    @Test func filtersByUser() async throws {
        let store = try SQLiteStateStore.inMemory()
        var mine = sampleCluster("mine", status: .up)
        mine.userHash = "me"
        var theirs = sampleCluster("theirs", status: .up)
        theirs.userHash = "them"
        try await store.upsertCluster(mine)
        try await store.upsertCluster(theirs)
        #expect(try await store.costReport(days: 30, userHash: "me").map(\.name) == ["mine"])
        #expect(try await store.costReport(days: 30, userHash: nil).count == 2)
    }
}
