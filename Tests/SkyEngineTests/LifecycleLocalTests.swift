import Foundation
import SkyCore
import SkyState
import Testing

@testable import SkyEngine

@Suite(
    .fixtureScope,
    .enabled(
        if: LifecycleFixture.skyletAvailable, "no skylet binary (build it or set SKY_SKYLET_BINARY)"
    ))
struct LifecycleLocalTests {
    /// Running processes (not zombies) whose HOME starts with `homePrefix`.
    static func processes(homePrefix: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ"),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"), stat[close...].dropFirst(2).first != "Z"
            else { return nil }
            let home = environ.split(separator: 0).first { $0.starts(with: Array("HOME=".utf8)) }
            guard let home, String(decoding: home.dropFirst(5), as: UTF8.self).hasPrefix(homePrefix)
            else { return nil }
            return pid
        }
    }

    @Test func severalLocalNodesRunTheTaskAndFollowTheLifecycle() async throws {
        let fx = try LifecycleFixture(tag: "local")
        let result = try await fx.launch(
            """
            num_nodes: 3
            setup: echo "setup $SKYPILOT_SETUP_NODE_RANK"
            run: echo "rank $SKYPILOT_NODE_RANK of $SKYPILOT_NUM_NODES"
            """, cluster: "trio")
        #expect(result.jobStatus == .succeeded)
        #expect(result.exitCode == 0)
        let lines = fx.takeLines()
        for rank in 0..<3 { #expect(lines.contains { $0.hasSuffix("rank \(rank) of 3") }) }
        var record = try #require(try await fx.record("trio"))
        #expect(record.status == .up)
        #expect(record.numNodes == 3)
        #expect(record.cloud == "local")
        #expect(record.resourcesString.hasPrefix("3x Local("))
        for node in 0..<3 {
            #expect(FileManager.default.fileExists(atPath: fx.skyHome + "/local/trio/node\(node)"))
        }

        // Relaunch reuses the cluster; a failing run gives the failure exit code.
        let failed = try await fx.launch("run: exit 3", cluster: "trio")
        #expect(failed.jobStatus == .failed)
        #expect(failed.exitCode == 100)
        #expect((failed.jobID ?? 0) > (result.jobID ?? 0))

        try await fx.engine.stop("trio")
        #expect(try await fx.record("trio")?.status == .stopped)
        try await fx.engine.start("trio")
        #expect(try await fx.record("trio")?.status == .up)

        try await fx.engine.autostop("trio", idleMinutes: 30, down: true)
        record = try #require(try await fx.record("trio"))
        #expect(record.autostopMinutes == 30)
        #expect(record.toDown)

        // A node killed behind our back: refresh marks the cluster abnormal (INIT).
        try FileManager.default.removeItem(atPath: fx.skyHome + "/local/trio/node2")
        let refreshed = try await fx.engine.status(["trio"], refresh: true)
        #expect(refreshed.first?.status == .initializing)

        try await fx.engine.down("trio")
        #expect(try await fx.record("trio") == nil)
        #expect(!FileManager.default.fileExists(atPath: fx.skyHome + "/local/trio"))
        await #expect(throws: EngineError.self) { try await fx.engine.down("trio") }
        let report = try await fx.engine.costReport()
        #expect(report.first?.name == "trio")
        #expect(report.first?.status == "TERMINATED")
    }

    @Test func clusterGoneBehindOurBackIsRemovedOnRefresh() async throws {
        let fx = try LifecycleFixture(tag: "gone")
        _ = try await fx.launch("run: echo hi", cluster: "solo")
        let prefix = fx.skyHome + "/local/solo/"
        #expect(!Self.processes(homePrefix: prefix).isEmpty)  // the skylet runs there
        try FileManager.default.removeItem(atPath: fx.skyHome + "/local/solo")
        #expect(try await fx.engine.status([], refresh: true).isEmpty)
        #expect(try await fx.record("solo") == nil)
        // What ran on the vanished node was stopped too.
        var left = Self.processes(homePrefix: prefix)
        for _ in 0..<50 where !left.isEmpty {
            try await _Concurrency.Task.sleep(for: .milliseconds(20))
            left = Self.processes(homePrefix: prefix)
        }
        #expect(left.isEmpty)
    }

    @Test func concurrentLaunchesOnOneClusterSerialize() async throws {
        let fx = try LifecycleFixture(tag: "lock")
        async let first = fx.launch("run: echo first", cluster: "shared")
        async let second = fx.launch("run: echo second", cluster: "shared")
        let ids = try await [first.jobID ?? 0, second.jobID ?? 0].sorted()
        #expect(ids == [1, 2])
        #expect(try await fx.store.clusters().map(\.name) == ["shared"])
        #expect(try await fx.record("shared")?.status == .up)
    }

    /// A task whose workdir or file mounts cannot be sent fails before anything is created:
    /// no cluster record, no node.
    @Test(arguments: [
        "workdir: /nonexistent-sky-workdir\nrun: echo never",
        "file_mounts:\n  /tmp/never: /nonexistent-sky-source\nrun: echo never",
        "file_mounts:\n  /tmp/never: s3://some-bucket/data\nrun: echo never",
        "file_mounts:\n  /tmp/never:\n    name: some-bucket\n    store: s3\nrun: echo never",
    ])
    func unsendableSourcesFailBeforeAnythingIsCreated(_ yaml: String) async throws {
        let fx = try LifecycleFixture(tag: "presync")
        let error = await fx.refusal(yaml, cluster: "presync", "its sources cannot be sent")
        #expect(error.contains("nonexistent-sky") || error.contains("storage"), "\(error)")
        #expect(try await fx.record("presync") == nil)
        #expect(!FileManager.default.fileExists(atPath: fx.skyHome + "/local/presync"))
    }

    @Test func detachedLaunchReturnsTheJobID() async throws {
        let fx = try LifecycleFixture(tag: "detach")
        let result = try await fx.launch("run: sleep 1; echo done", cluster: "bg", detach: true)
        #expect(result.jobID != nil)
        #expect(result.jobStatus == nil)
        #expect(result.exitCode == 0)
    }

    @Test func invalidNamesAndUnknownClustersAreRefused() async throws {
        let fx = try LifecycleFixture(tag: "names")
        await #expect(throws: EngineError.self) {
            _ = try await fx.launch("run: echo ok", cluster: "bad name")
        }
        await #expect(throws: EngineError.self) { try await fx.engine.stop("nosuch") }
        await #expect(throws: EngineError.self) {
            _ = try await fx.engine.clusterNames(["nosuch*"], all: false)
        }
    }

    @Test func twentyClustersListFromTheStateAlone() async throws {
        let fx = try LifecycleFixture(tag: "many")
        for i in 0..<20 {
            try await fx.store.upsertCluster(
                ClusterRecord(
                    name: "c\(i)", status: .up, userName: "tester", userHash: "abcdef12",
                    clusterHash: "h\(i)", cloud: "local", region: "local",
                    resourcesString: "1x Local(2CPU--4GB)"))
        }
        let views = try await fx.engine.statusViews()
        #expect(views.count == 20)
        #expect(try await fx.engine.statusViews(["c1*"]).count == 11)
    }
}
