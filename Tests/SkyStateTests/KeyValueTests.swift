import Foundation
import SkyState
import Testing

@Suite struct KeyValueTests {
    struct Settings: Codable, Equatable {
        var endpoint: String
        var retries: Int
    }

    @Test func setGetOverwriteDelete() async throws {
        let store = try SQLiteStateStore.inMemory()
        #expect(try await store.value(namespace: "api", key: "endpoint") == nil)
        try await store.setValue(#""http://a""#, namespace: "api", key: "endpoint")
        try await store.setValue(#""http://b""#, namespace: "api", key: "endpoint")
        try await store.setValue("1", namespace: "other", key: "endpoint")
        #expect(try await store.value(namespace: "api", key: "endpoint") == #""http://b""#)
        #expect(try await store.values(namespace: "api") == ["endpoint": #""http://b""#])
        #expect(try await store.deleteValue(namespace: "api", key: "endpoint"))
        #expect(try await store.deleteValue(namespace: "api", key: "endpoint") == false)
        #expect(try await store.value(namespace: "other", key: "endpoint") == "1")
    }

    @Test func insertIfAbsentOnlyOnce() async throws {
        let store = try SQLiteStateStore.inMemory()
        #expect(try await store.insertValueIfAbsent("1", namespace: "n", key: "k"))
        #expect(try await store.insertValueIfAbsent("2", namespace: "n", key: "k") == false)
        #expect(try await store.value(namespace: "n", key: "k") == "1")
    }

    @Test func codableValues() async throws {
        let store = try SQLiteStateStore.inMemory()
        let settings = Settings(endpoint: "http://x", retries: 3)
        try await store.setCodable(settings, namespace: "cfg", key: "s")
        #expect(try await store.codable(Settings.self, namespace: "cfg", key: "s") == settings)
        #expect(try await store.codable(Settings.self, namespace: "cfg", key: "none") == nil)
    }
}
