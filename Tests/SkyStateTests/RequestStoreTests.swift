import Foundation
import SkyState
import Testing

@Suite struct RequestStoreTests {
    @Test func roundTripAndFinish() async throws {
        let store = try SQLiteStateStore.inMemory()
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        let request = RequestRecord(
            name: "sky.launch", createdAt: created, userName: "alice", userId: "a1",
            clusterName: "c1", scheduleType: "long", body: #"{"cluster_name":"c1"}"#, pid: 42)
        try await store.createRequest(request)
        #expect(try await store.request(id: request.id) == request)

        let finished = Date(timeIntervalSince1970: 1_800_000_100)
        let done = try await store.finishRequest(
            id: request.id, status: .failed, error: #"{"type":"X","message":"boom"}"#,
            at: finished)
        #expect(done?.status == .failed && done?.finishedAt == finished)
        let read = try #require(try await store.request(id: request.id))
        #expect(read.error == #"{"type":"X","message":"boom"}"#)
        #expect(read.body == request.body && read.pid == 42)
        #expect(try await store.updateRequest(id: "missing") { $0.status = .running } == nil)
    }

    @Test func duplicateIdIsRejected() async throws {
        let store = try SQLiteStateStore.inMemory()
        let request = RequestRecord(name: "sky.status", userName: "u")
        try await store.createRequest(request)
        await #expect(throws: StateError.self) { try await store.createRequest(request) }
    }

    @Test func lookupByUniquePrefix() async throws {
        let store = try SQLiteStateStore.inMemory()
        let ids = [
            "abc12345-0000-4000-8000-000000000001", "abc99999-0000-4000-8000-000000000002",
            "def00000-0000-4000-8000-000000000003",
        ]
        for id in ids {
            try await store.createRequest(RequestRecord(id: id, name: "sky.status", userName: "u"))
        }
        #expect(try await store.request(idPrefix: "abc1")?.id == ids[0])
        #expect(try await store.request(idPrefix: "ABC9")?.id == ids[1])
        #expect(try await store.request(idPrefix: ids[2])?.id == ids[2])
        #expect(try await store.request(idPrefix: "abd") == nil)
        #expect(try await store.request(idPrefix: "ab%") == nil)
        do {
            _ = try await store.request(idPrefix: "abc")
            Issue.record("an ambiguous prefix must throw")
        } catch let error as StateError {
            #expect(error == .ambiguousRequestPrefix(prefix: "abc", matches: [ids[0], ids[1]]))
            #expect(error.description.contains("more characters"))
        }
    }

    @Test func listFiltersNewestFirstAndDeletesOldFinished() async throws {
        let store = try SQLiteStateStore.inMemory()
        for i in 0..<6 {
            try await store.createRequest(
                RequestRecord(
                    id: "id-\(i)", name: "sky.exec", status: i % 2 == 0 ? .running : .succeeded,
                    createdAt: Date(timeIntervalSince1970: Double(1000 + i)),
                    finishedAt: i % 2 == 0 ? nil : Date(timeIntervalSince1970: Double(2000 + i)),
                    userName: i < 3 ? "alice" : "bob", clusterName: "c\(i % 3)"))
        }
        let running = try await store.requests(matching: RequestFilter(statuses: [.running]))
        #expect(running.map(\.id) == ["id-4", "id-2", "id-0"])
        let bob = try await store.requests(matching: RequestFilter(userName: "bob", limit: 2))
        #expect(bob.map(\.id) == ["id-5", "id-4"])
        let c1 = try await store.requests(matching: RequestFilter(clusterName: "c1"))
        #expect(c1.map(\.id) == ["id-4", "id-1"])

        let deleted = try await store.deleteRequests(
            finishedBefore: Date(timeIntervalSince1970: 2004))
        #expect(deleted == 2)
        let left = try await store.requests(matching: RequestFilter()).map(\.id)
        #expect(left == ["id-5", "id-4", "id-2", "id-0"])
    }
}
