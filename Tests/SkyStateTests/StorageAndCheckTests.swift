import Foundation
import SkyState
import Testing

@Suite struct StorageAndCheckTests {
    @Test func storageRoundTripStatusAndDelete() async throws {
        let store = try SQLiteStateStore.inMemory()
        let record = StorageRecord(
            name: "my-bucket", store: "S3", source: "/data",
            createdAt: Date(timeIntervalSince1970: 1_800_000_000),
            handle: #"{"persistent":true}"#)
        let saved = try await store.upsertStorage(record)
        #expect(try await store.storage(named: "my-bucket") == saved)
        let ready = try await store.updateStorageStatus(named: "my-bucket", to: .ready)
        #expect(ready?.status == .ready)
        #expect(try await store.storages().map(\.status) == [.ready])
        #expect(try await store.updateStorageStatus(named: "none", to: .ready) == nil)
        #expect(try await store.deleteStorage(named: "my-bucket"))
        #expect(try await store.deleteStorage(named: "my-bucket") == false)
        #expect(try await store.storages().isEmpty)
    }

    @Test func checkCacheReplacesPerBackendAndListsEnabledClouds() async throws {
        let store = try SQLiteStateStore.inMemory()
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.saveCheckResults([
            CheckResult(backend: "aws", capabilities: ["compute", "storage"], checkedAt: at),
            CheckResult(
                backend: "gcp", capabilities: [], reason: "no credentials", checkedAt: at),
            CheckResult(backend: "kubernetes", capabilities: ["compute"], checkedAt: at),
            CheckResult(workspace: "team", backend: "lambda", capabilities: ["compute"]),
        ])
        #expect(try await store.enabledClouds() == ["aws", "kubernetes"])
        #expect(
            try await store.enabledClouds(workspace: "default", capability: "storage") == ["aws"])
        #expect(
            try await store.enabledClouds(workspace: "team", capability: "compute") == ["lambda"])

        try await store.saveCheckResults([
            CheckResult(backend: "aws", capabilities: [], reason: "expired token", checkedAt: at)
        ])
        let results = try await store.checkResults(workspace: "default")
        #expect(results.map(\.backend) == ["aws", "gcp", "kubernetes"])
        #expect(results.first?.reason == "expired token" && results.first?.isEnabled == false)
        #expect(results[1].checkedAt == at)
        #expect(try await store.enabledClouds() == ["kubernetes"])
    }
}
