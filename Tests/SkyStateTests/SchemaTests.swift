import Foundation
import SkyState
import Testing

@Suite struct SchemaTests {
    @Test func createsTheDatabaseFromNothingInWALMode() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        let nested = (home.path as NSString).appendingPathComponent("a/b/.sky")
        let store = SQLiteStateStore(home: nested)
        #expect(!FileManager.default.fileExists(atPath: nested), "init must not touch the disk")

        #expect(try await store.clusters().isEmpty)
        #expect(FileManager.default.fileExists(atPath: nested + "/state.db"))
        #expect(try await store.schemaVersion() == 1)
        #expect(try await store.journalMode() == "wal")
        #expect(try await store.integrityCheck() == ["ok"])
        let attributes = try FileManager.default.attributesOfItem(atPath: nested)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
    }

    @Test func reopeningKeepsDataAndSchemaVersion() async throws {
        try await withFileStore { store, home in
            try await store.upsertCluster(sampleCluster("c1"))
            try await store.setValue("1", namespace: "n", key: "k")
            let reopened = SQLiteStateStore(home: home.path)
            #expect(try await reopened.cluster(named: "c1")?.name == "c1")
            #expect(try await reopened.value(namespace: "n", key: "k") == "1")
            #expect(try await reopened.schemaVersion() == 1)
        }
    }

    @Test func manyStoresOpeningOneNewDatabaseAtOnceAllSucceed() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<8 {
                group.addTask {
                    let store = SQLiteStateStore(home: home.path)
                    try await store.upsertCluster(sampleCluster("c\(i)"))
                }
            }
            try await group.waitForAll()
        }
        let store = SQLiteStateStore(home: home.path)
        #expect(try await store.clusters().count == 8)
        #expect(try await store.integrityCheck() == ["ok"])
    }

    @Test func defaultHomeHonoursSkyHome() {
        #expect(
            SQLiteStateStore.defaultHome(environment: ["SKY_HOME": "/x/y", "HOME": "/h"])
                == "/x/y")
        #expect(SQLiteStateStore.defaultHome(environment: ["HOME": "/h"]) == "/h/.sky")
        #expect(
            SQLiteStateStore.defaultHome(environment: ["SKY_HOME": "", "HOME": "/h"]) == "/h/.sky")
    }

    @Test func unwritableHomeGivesAnActionableError() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        let file = home.path + "/plain-file"
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        let store = SQLiteStateStore(home: file + "/sub")
        do {
            _ = try await store.clusters()
            Issue.record("opening under a regular file must fail")
        } catch let error as StateError {
            guard case .cannotOpen = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(error.description.contains("SKY_HOME"))
        }
    }

    @Test func inMemoryStoreWorks() async throws {
        let store = try SQLiteStateStore.inMemory()
        try await store.upsertCluster(sampleCluster("m"))
        #expect(try await store.clusters().map(\.name) == ["m"])
        #expect(try await store.schemaVersion() == 1)
    }

    @Test func aHomeDeletedAndCreatedAgainGetsAFreshDatabase() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        try await SQLiteStateStore(home: home.path).upsertCluster(sampleCluster("old"))
        home.remove()
        let store = SQLiteStateStore(home: home.path)
        #expect(try await store.clusters().isEmpty)
        try await store.upsertCluster(sampleCluster("new"))
        #expect(try await SQLiteStateStore(home: home.path).clusters().map(\.name) == ["new"])
    }
}
