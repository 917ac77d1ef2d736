import Foundation
import SkyCore
import SkyLocal
import SkyProvision
import SkyRuntime
import Testing

@Suite struct LocalProvisionerTests {
    /// Running (not gone, not a zombie waiting for its reaper).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    func makeRoot() throws -> String {
        let root = "/tmp/sky-local-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    func config(_ cluster: String, count: Int, offering: Offering) -> ProvisionConfig {
        ProvisionConfig(
            clusterName: cluster, clusterNameOnCloud: cluster + "-abcdef12", region: "local",
            offering: offering, count: count)
    }

    @Test func offersThisMachineForFree() async throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let local = LocalProvisioner(root: root, cpus: 4, memoryGB: 8)
        let offers = try await local.offerings(for: Resources())
        #expect(offers.count == 1)
        #expect(offers.first?.price == 0)
        #expect(offers.first?.instanceType == "4CPU--8GB")
        #expect(try await local.offerings(for: Resources(cpus: .init(16))).isEmpty)
        var gpu = Resources()
        gpu.accelerator = Resources.Accelerator(name: "A100", count: 1)
        #expect(try await local.offerings(for: gpu).isEmpty)
        #expect(try await local.offerings(for: Resources(cloud: "aws")).isEmpty)
    }

    @Test(arguments: [1, 3])
    func lifecycleWithNodes(count: Int) async throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let local = LocalProvisioner(root: root, cpus: 2, memoryGB: 4)
        let offering = try #require(try await local.offerings(for: Resources()).first)
        let cfg = config("c\(count)", count: count, offering: offering)
        let locator = ClusterLocator(cfg)

        let record = try await local.runInstances(cfg)
        #expect(record.createdInstanceIDs.count == count)
        #expect(record.headInstanceID == "node0")
        let again = try await local.runInstances(cfg)
        #expect(again.createdInstanceIDs.isEmpty)

        let info = try await local.clusterInfo(locator)
        #expect(info.instances.map(\.instanceID) == (0..<count).map { "node\($0)" })
        let runners = local.commandRunners(for: info)
        for (index, runner) in runners.enumerated() {
            let out = try await runner.run(
                ["sh", "-c", "echo $HOME; pwd"], stdin: nil, environment: [:])
            let home = "\(root)/c\(count)/node\(index)"
            #expect(out.stdout == "\(home)\n\(home)\n")
        }
        // A process started on the last node outlives its command...
        let pidFile = root + "/bg.pid"
        _ = try await runners[count - 1].run(
            ["sh", "-c", "nohup sleep 300 >/dev/null 2>&1 & echo $! > \(pidFile)"], stdin: nil,
            environment: [:])
        let pid =
            Int32(
                try String(contentsOfFile: pidFile, encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(pid > 0 && Self.isAlive(pid))

        // ...until stop, which keeps the directories.
        try await local.stopInstances(locator, workerOnly: false)
        for _ in 0..<50 where Self.isAlive(pid) {
            try await _Concurrency.Task.sleep(for: .milliseconds(20))
        }
        #expect(!Self.isAlive(pid))
        #expect(try await local.queryInstances(locator).allSatisfy { $0.status == .stopped })
        #expect(FileManager.default.fileExists(atPath: "\(root)/c\(count)/node0"))

        let resumed = try await local.runInstances(cfg)
        #expect(resumed.resumedInstanceIDs.count == count)
        #expect(try await local.queryInstances(locator).allSatisfy { $0.status == .up })

        try await local.terminateInstances(locator, workerOnly: false)
        #expect(try await local.queryInstances(locator).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "\(root)/c\(count)"))
        await #expect(throws: ProvisionError.self) { _ = try await local.clusterInfo(locator) }
    }

    /// A process in the middle of exec shows an empty environment for a moment (its HOME
    /// is how a node's processes are found); one caught starting is stopped all the same.
    @Test func aProcessCaughtStartingIsStopped() async throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let local = LocalProvisioner(root: root, cpus: 2, memoryGB: 4)
        let offering = try #require(try await local.offerings(for: Resources()).first)
        let cfg = config("starting", count: 1, offering: offering)
        _ = try await local.runInstances(cfg)
        var missed: [Int32] = []
        for _ in 0..<60 {
            // Three more execs after the spawn returns: a stop right away meets one of them
            // often enough.
            let process = try ChildProcess.spawn(
                [
                    "/usr/bin/env", "A=1", "/usr/bin/env", "B=1", "/usr/bin/env", "C=1", "sleep",
                    "300",
                ],
                environment: ["HOME": "\(root)/starting/node0", "PATH": "/usr/bin:/bin"])
            try await local.stopInstances(ClusterLocator(cfg), workerOnly: false)
            if Self.isAlive(process.pid) {
                missed.append(process.pid)
                kill(process.pid, SIGKILL)
            }
            _ = await process.wait()
        }
        #expect(missed.isEmpty, "processes not stopped: \(missed)")
        try await local.terminateInstances(ClusterLocator(cfg), workerOnly: false)
    }

    @Test func aNodeDirectoryRemovedBehindOurBackShows() async throws {
        let root = try makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let local = LocalProvisioner(root: root, cpus: 2, memoryGB: 4)
        let offering = try #require(try await local.offerings(for: Resources()).first)
        let cfg = config("gone", count: 2, offering: offering)
        _ = try await local.runInstances(cfg)
        try FileManager.default.removeItem(atPath: root + "/gone/node1")
        let states = try await local.queryInstances(ClusterLocator(cfg))
        #expect(states.map(\.instanceID) == ["node0"])
        try FileManager.default.removeItem(atPath: root + "/gone")
        #expect(try await local.queryInstances(ClusterLocator(cfg)).isEmpty)
    }
}
