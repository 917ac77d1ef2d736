import Foundation
import SkyCore
import Testing

@testable import Skylet

@Suite(.serialized)
struct SkyletAutostopTests {
    @Test func autostopFiresAfterIdleMinutesAndRunsHooks() throws {
        let hookMark = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hook-\(UUID().uuidString)"
        ).path
        let h = try SkyletHarness(
            autostop: .init(idleMinutes: 1, down: false, waitFor: "jobs"),
            hooks: [
                .init(run: "echo ran > \(hookMark)", events: ["stop"], timeoutSeconds: 10),
                .init(run: "echo wrong > \(hookMark).down", events: ["down"], timeoutSeconds: 10),
            ],
            environment: ["SKYLET_MINUTE_SECONDS": "1", "SKYLET_AUTOSTOP_CHECK_SECONDS": "0.1"])
        defer {
            h.cleanup()
            try? FileManager.default.removeItem(atPath: hookMark)
        }
        // A running job keeps the cluster busy.
        let gate = h.root + "/go"
        let id = try h.submit(h.spec(run: "while [ ! -f \(gate) ]; do sleep 0.05; done"))
        #expect(try h.waitFor(id) { $0 == .running } == .running)
        try h.run(["daemon"])
        usleep(1_500_000)
        #expect(try h.run(["autostop-state"]).out == "null\n")
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        #expect(try h.waitFor(id) == .succeeded)
        let marker = h.head + "/.sky/skylet/autostop.json"
        #expect(h.waitForFile(marker))
        let state = try h.run(["autostop-state"]).out
        #expect(state.contains("\"action\":\"stop\""))
        #expect((try? String(contentsOfFile: hookMark, encoding: .utf8)) == "ran\n")
        #expect(!FileManager.default.fileExists(atPath: hookMark + ".down"))
        // The daemon exited.
        let deadline = Date().addingTimeInterval(10)
        while FileManager.default.fileExists(atPath: h.head + "/.sky/skylet/daemon.pid")
            && Date() < deadline
        {
            usleep(50_000)
        }
        #expect(!FileManager.default.fileExists(atPath: h.head + "/.sky/skylet/daemon.pid"))
    }

    @Test func monitorCountsIdleTimeFromTheLastActivity() {
        var monitor = AutostopMonitor(minuteSeconds: 60, now: Date(timeIntervalSince1970: 1000))
        let start = Date(timeIntervalSince1970: 1000)
        var fired = false
        let spec = ClusterSpec.AutostopSpec(idleMinutes: 2, down: true, waitFor: "jobs_and_ssh")
        fired = monitor.fires(spec, busy: false, ssh: 0, at: start)
        #expect(!fired)
        fired = monitor.fires(spec, busy: true, ssh: 0, at: start.addingTimeInterval(100))
        #expect(!fired)
        fired = monitor.fires(spec, busy: false, ssh: 1, at: start.addingTimeInterval(200))
        #expect(!fired)
        fired = monitor.fires(spec, busy: false, ssh: 0, at: start.addingTimeInterval(319))
        #expect(!fired)
        fired = monitor.fires(spec, busy: false, ssh: 0, at: start.addingTimeInterval(320))
        #expect(fired)
        let jobsOnly = ClusterSpec.AutostopSpec(idleMinutes: 1, down: false, waitFor: "jobs")
        fired = monitor.fires(jobsOnly, busy: false, ssh: 3, at: start.addingTimeInterval(400))
        #expect(!fired)
        fired = monitor.fires(jobsOnly, busy: false, ssh: 3, at: start.addingTimeInterval(460))
        #expect(fired)
        let none = ClusterSpec.AutostopSpec(idleMinutes: 1, down: false, waitFor: "none")
        fired = monitor.fires(none, busy: true, ssh: 0, at: start.addingTimeInterval(500))
        #expect(!fired)
        fired = monitor.fires(none, busy: true, ssh: 0, at: start.addingTimeInterval(560))
        #expect(fired)
    }
}

extension AutostopMonitor {
    mutating func fires(_ spec: ClusterSpec.AutostopSpec, busy: Bool, ssh: Int, at now: Date)
        -> Bool
    {
        check(autostop: spec, busyWithJobs: busy, sshSessions: ssh, lastJobEnd: nil, now: now)
            != nil
    }
}
