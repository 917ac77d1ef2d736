import Foundation
import Glibc
import SkyCore
import Testing

/// Cancel and failure kill every process of the job on every node.
@Suite(.serialized)
struct SkyletKillTests {
    /// A run script that records its session id in `~/sid` and leaves a child process behind.
    static let recordSession =
        #"ps -o sid= -p $$ | tr -d ' ' > ~/sid.tmp && mv ~/sid.tmp ~/sid; sleep 300 & "#

    @Test func runFailureOnOneNodeKillsTheOtherNode() throws {
        let h = try SkyletHarness(nodes: 2)
        defer { h.cleanup() }
        let script =
            Self.recordSession
            + #"if [ "$SKYPILOT_NODE_RANK" = 1 ]; then while [ ! -f "$HOME/../node0/sid" ]; do sleep 0.05; done; exit 5; fi; sleep 300"#
        let id = try h.submit(h.spec(run: script, nodes: 2))
        #expect(try h.waitFor(id) == .failed)
        let sid0 = try #require(readInt(h.nodeHomes[0] + "/sid"))
        let sid1 = try #require(readInt(h.nodeHomes[1] + "/sid"))
        #expect(processesInSession(sid0).isEmpty)
        #expect(processesInSession(sid1).isEmpty)
        #expect(try h.logs(id).contains("failed with return code 5 on node 1"))
    }

    @Test func cancelRunningMultiNodeJobLeavesNoProcess() throws {
        let h = try SkyletHarness(nodes: 2)
        defer { h.cleanup() }
        let id = try h.submit(h.spec(run: Self.recordSession + "sleep 300", nodes: 2))
        #expect(h.waitForFile(h.nodeHomes[0] + "/sid"))
        #expect(h.waitForFile(h.nodeHomes[1] + "/sid"))
        #expect(try h.status(id) == .running)
        let sids = try h.nodeHomes.map { try #require(readInt($0 + "/sid")) }
        #expect(sids.allSatisfy { !processesInSession($0).isEmpty })
        let result = try h.run(["cancel", String(id)])
        #expect(result.out.contains("\"cancelled\":[\(id)]"))
        #expect(try h.status(id) == .cancelled)
        for sid in sids {
            #expect(processesInSession(sid).isEmpty, "session \(sid) still has processes")
        }
    }

    @Test func cancelPendingAndAllAndUnknown() throws {
        let h = try SkyletHarness(nodes: 1, cpus: 1)
        defer { h.cleanup() }
        let first = try h.submit(h.spec(run: "sleep 300", cpus: 1))
        let second = try h.submit(h.spec(run: "echo never", cpus: 1))
        #expect(try h.waitFor(first) { $0 == .running } == .running)
        #expect(try h.status(second) == .pending)
        let unknown = try h.run(["cancel", "99"])
        #expect(unknown.out.contains("\"notFound\":[99]"))
        try h.run(["cancel", "--all"])
        #expect(try h.status(first) == .cancelled)
        #expect(try h.status(second) == .cancelled)
        #expect(!(try h.logs(second)).contains("never"))
    }

    @Test func deadDriverIsFailedDriverAndItsProcessesAreKilled() throws {
        let h = try SkyletHarness(environment: ["SKYLET_AUTOSTOP_CHECK_SECONDS": "0.2"])
        defer { h.cleanup() }
        try h.run(["daemon"])
        let id = try h.submit(h.spec(run: Self.recordSession + "sleep 300"))
        #expect(h.waitForFile(h.head + "/sid"))
        let sid = try #require(readInt(h.head + "/sid"))
        let driver = try #require(driverPID(h, id))
        kill(driver, SIGKILL)
        #expect(try h.waitFor(id) == .failedDriver)
        let deadline = Date().addingTimeInterval(20)
        while !processesInSession(sid).isEmpty && Date() < deadline { usleep(50_000) }
        #expect(processesInSession(sid).isEmpty)
    }

    /// The driver of a job: the `skylet run-job ID` process.
    func driverPID(_ h: SkyletHarness, _ id: Int) -> Int32? {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [])
            .compactMap { Int32($0) }
        return pids.first { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ")
            else { return false }
            let args = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return args.count >= 3 && args[args.count - 2] == "run-job" && args.last == String(id)
                && String(decoding: env, as: UTF8.self).contains("HOME=\(h.head)\0")
        }
    }
}
