import Foundation
import Glibc
import SkyCore
import Testing

/// `skylet start` (a launch's set-up in one call) and `skylet submit --follow` (submit and
/// stream in one call): what the engine relies on to make a launch one round trip shorter.
@Suite(.serialized)
struct SkyletStartTests {
    @Test func startRefusesAnotherBuildElseWritesTheClusterAndStartsTheDaemon() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let binary = try h.installedCopy(hash: String(repeating: "a", count: 64))
        var spec = h.cluster
        spec.autostop = .init(idleMinutes: 7, down: true, waitFor: "jobs")
        let input = try JSONEncoder().encode(spec)
        let clusterFile = h.head + "/.sky/skylet/cluster.json"

        let refused = try h.run(
            ["start", "--sha256", String(repeating: "b", count: 64)], stdin: input, binary: binary)
        #expect(refused.code == 3)
        #expect(refused.err.contains("not the engine's build"))
        let before = try JSONDecoder().decode(
            ClusterSpec.self, from: Data(contentsOf: URL(fileURLWithPath: clusterFile)))
        #expect(before.autostop == nil, "a refused start must not write the cluster")

        let started = try h.run(
            ["start", "--sha256", String(repeating: "a", count: 64)], stdin: input, binary: binary)
        #expect(started.code == 0, "\(started.err)")
        let reply = try JSONSerialization.jsonObject(with: Data(started.out.utf8)) as? [String: Any]
        let pid = try #require(reply?["pid"] as? Int)
        #expect(kill(pid_t(pid), 0) == 0, "the daemon runs")
        let after = try JSONDecoder().decode(
            ClusterSpec.self, from: Data(contentsOf: URL(fileURLWithPath: clusterFile)))
        #expect(after.autostop?.idleMinutes == 7)
        // Idempotent: once the daemon holds its lock, a second start finds it.
        let pidFile = h.head + "/.sky/skylet/daemon.pid"
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline,
            (try? String(contentsOfFile: pidFile, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) != String(pid)
        {
            usleep(20_000)
        }
        let again = try h.run(
            ["start", "--sha256", String(repeating: "a", count: 64)], stdin: input, binary: binary)
        #expect(again.out.contains("\"pid\":\(pid)"))
    }

    @Test func startSubmitFollowSetsUpThenRunsInOneCall() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let binary = try h.installedCopy(hash: String(repeating: "c", count: 64))
        let request = StartRequest(cluster: h.cluster, job: h.spec(run: "echo started-and-ran"))
        let input = try JSONEncoder().encode(request)

        let refused = try h.run(
            ["start", "--sha256", String(repeating: "d", count: 64), "--submit", "--follow"],
            stdin: input, binary: binary)
        #expect(refused.code == 3)
        #expect(try h.queue().isEmpty, "another build must not submit the job")

        let out = try h.run(
            ["start", "--sha256", String(repeating: "c", count: 64), "--submit", "--follow"],
            stdin: input, binary: binary)
        #expect(out.code == 0, "\(out.err)")
        let lines = out.out.split(separator: "\n").map(String.init)
        #expect(lines.count >= 4)
        #expect(lines.first?.hasPrefix(#"{"pid":"#) == true)
        #expect(lines.dropFirst().first == #"{"job_id":1}"#)
        #expect(lines.contains { $0.hasSuffix("started-and-ran") })
        #expect(lines.last == SkyletWire.statusMarker + "SUCCEEDED")
    }

    /// With a job, `start` starts the job's driver first and the daemon half a second later,
    /// under the pid it reported (the wait itself is not timed here); the job's interactive
    /// shell still reads `~/.bashrc` (through the rc file that reports its session).
    @Test func startWithAJobStartsTheDaemonAfterTheJobAndTheShellReadsBashrc() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        try "export FROM_BASHRC=bashrc-was-read\n".write(
            toFile: h.head + "/.bashrc", atomically: false, encoding: .utf8)
        let request = StartRequest(
            cluster: h.cluster, job: h.spec(run: "echo \"$FROM_BASHRC\"; sleep 2"))
        let out = try h.run(["start", "--submit"], stdin: try JSONEncoder().encode(request))
        #expect(out.code == 0, "\(out.err)")
        let lines = out.out.split(separator: "\n").map(String.init)
        #expect(lines == [lines.first ?? "", #"{"job_id":1}"#])
        let reply = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        let pid = try #require(reply?["pid"] as? Int)
        let pidFile = h.head + "/.sky/skylet/daemon.pid"
        #expect(try h.status(1) != nil)
        #expect(h.waitForFile(pidFile, timeout: 10))
        #expect(
            (try String(contentsOfFile: pidFile, encoding: .utf8))
                .trimmingCharacters(in: .whitespacesAndNewlines) == String(pid))
        #expect(try h.waitFor(1, timeout: 30) == .succeeded)
        #expect(try h.logs(1).contains("bashrc-was-read"))
    }

    /// A teardown right after `start` with a job (a launch taken down at once) must not let
    /// the daemon `start` delayed run afterwards, and neither must removing the cluster's files.
    @Test func aTeardownRightAfterStartLeavesNoDaemon() throws {
        for removeFiles in [false, true] {
            let h = try SkyletHarness()
            defer { h.cleanup() }
            // A copy under the test's directory: its daemon is found by its command line.
            let binary = try h.installedCopy(hash: String(repeating: "e", count: 64))
            let request = StartRequest(cluster: h.cluster, job: h.spec(run: "true"))
            let out = try h.run(
                ["start", "--submit"], stdin: try JSONEncoder().encode(request), binary: binary)
            #expect(out.code == 0, "\(out.err)")
            if removeFiles {
                try FileManager.default.removeItem(atPath: h.head + "/.sky/skylet/cluster.json")
            } else {
                #expect(try h.run(["teardown"], binary: binary).code == 0)
            }
            usleep(1_500_000)
            #expect(Self.processes(containing: h.root + "/").isEmpty)
            #expect(!FileManager.default.fileExists(atPath: h.head + "/.sky/skylet/daemon.pid"))
        }
    }

    /// A daemon already running when its cluster is torn down without being signalled (the
    /// teardown came between its lock and its pid file) or when its files are removed (a
    /// Slurm allocation ended under a daemon that left its step) ends by itself.
    @Test func aRunningDaemonEndsWhenItsClusterIsGone() throws {
        for removeFiles in [false, true] {
            let h = try SkyletHarness()
            defer { h.cleanup() }
            let binary = try h.installedCopy(hash: String(repeating: "f", count: 64))
            let out = try h.run(
                ["start"], stdin: try JSONEncoder().encode(h.cluster), binary: binary)
            #expect(out.code == 0, "\(out.err)")
            let skyletDir = h.head + "/.sky/skylet"
            // Running its loop: the pid file is written after its checks at start.
            for _ in 0..<100
            where !FileManager.default.fileExists(atPath: skyletDir + "/daemon.pid") {
                usleep(50_000)
            }
            var running = Self.processes(containing: h.root + "/")
            #expect(!running.isEmpty)
            if removeFiles {
                try FileManager.default.removeItem(atPath: skyletDir + "/cluster.json")
            } else {
                // What `teardown` leaves, without the signal it sends to a daemon it knows.
                #expect(
                    FileManager.default.createFile(
                        atPath: skyletDir + "/daemon.stopped", contents: nil))
            }
            for _ in 0..<100 where !running.isEmpty {
                usleep(50_000)
                running = Self.processes(containing: h.root + "/")
            }
            #expect(running.isEmpty, "removeFiles: \(removeFiles)")
        }
    }

    /// Pids whose command line contains `text` (and `daemon`).
    static func processes(containing text: String) -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap {
            entry in
            guard let pid = pid_t(entry),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let line = String(decoding: data, as: UTF8.self).replacingOccurrences(
                of: "\0", with: " ")
            return line.contains(text) && line.contains("daemon") ? pid : nil
        }
    }

    /// The hot calls skip the argument parser only in the exact forms the engine sends;
    /// anything else is parsed (and refused) as before.
    @Test func hotCallsOutsideTheirFormsGoThroughTheParser() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let followAlone = try h.run(["start", "--follow"], stdin: Data())
        #expect(followAlone.code == 64)
        #expect(followAlone.err.contains("--follow needs --submit"))
        let badID = try h.run(["run-job", "first"])
        #expect(badID.code == 64)
        #expect(badID.err.contains("first"))
        let noValue = try h.run(["start", "--sha256"], stdin: Data())
        #expect(noValue.code == 64)
        let unknown = try h.run(["start", "--submit", "--detach"], stdin: Data())
        #expect(unknown.code == 64)
        #expect(unknown.err.contains("--detach"))
    }

    @Test func submitFollowPrintsTheIdThenTheLogThenTheStatus() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let out = try h.run(
            ["submit", "--follow"],
            stdin: try JSONEncoder().encode(h.spec(run: "echo one; sleep 0.3; echo two")))
        #expect(out.code == 0, "\(out.err)")
        let lines = out.out.split(separator: "\n").map(String.init)
        #expect(lines.first == #"{"job_id":1}"#)
        #expect(lines.last == SkyletWire.statusMarker + "SUCCEEDED")
        let one = try #require(lines.firstIndex { $0.hasSuffix("one") })
        let two = try #require(lines.firstIndex { $0.hasSuffix("two") })
        #expect(0 < one && one < two && two < lines.count - 1)
    }

    @Test func aRefusedSubmitSaysWhyOnStdout() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let out = try h.run(
            ["submit", "--follow"], stdin: try JSONEncoder().encode(h.spec(run: "true", nodes: 5)))
        #expect(out.code == 1)
        let line = try #require(
            out.out.split(separator: "\n").first { $0.hasPrefix(SkyletWire.errorMarker) })
        #expect(line.contains("can never run"))
    }

    /// A Slurm step that ends (proctrack/linuxproc) kills every descendant of the step's
    /// task, and so does an ssh session's teardown of a process tree: the driver must not be
    /// a descendant of the `submit --follow` that started it.
    @Test func theDriverOutlivesTheProcessTreeOfItsSubmitter() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let marker = h.root + "/finished"
        let (process, seen) = try h.startUntilSubmitted(
            ["submit", "--follow"],
            input: try JSONEncoder().encode(h.spec(run: "sleep 1; touch \(marker); echo done")))
        #expect(seen.contains(#"{"job_id":1}"#))
        Self.killTree(process)
        #expect(try h.waitFor(1) == .succeeded)
        #expect(FileManager.default.fileExists(atPath: marker))
    }

    /// The same for the daemon `start` starts: an interrupted launch (its step or ssh session
    /// torn down while `start --submit --follow` still streams) must not take it down.
    @Test func theDaemonOutlivesTheProcessTreeOfItsStarter() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let (process, reply) = try h.startUntilSubmitted(
            ["start", "--submit", "--follow"],
            input: try JSONEncoder().encode(
                StartRequest(cluster: h.cluster, job: h.spec(run: "sleep 3; echo done"))))
        let pidLine = try #require(reply.split(separator: "\n").first)
        let object = try JSONSerialization.jsonObject(with: Data(pidLine.utf8)) as? [String: Any]
        let daemon = pid_t(try #require(object?["pid"] as? Int))
        #expect(!Self.descendants(of: process.processIdentifier).contains(daemon))
        Self.killTree(process)
        let pidFile = h.head + "/.sky/skylet/daemon.pid"
        #expect(h.waitForFile(pidFile, timeout: 10))
        #expect(kill(daemon, 0) == 0, "the daemon runs after its starter's tree was killed")
        #expect(try h.waitFor(1) == .succeeded)
    }

    /// Kills `process` and everything below it, as slurmstepd does at a step's end, and waits
    /// for it.
    static func killTree(_ process: Process) {
        let tree = descendants(of: process.processIdentifier)
        for pid in [process.processIdentifier] + tree { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    /// Every process whose parent chain reaches `root`, from /proc.
    static func descendants(of root: pid_t) -> [pid_t] {
        var parent: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let ppid = pid_t(fields[1]) { parent[pid] = ppid }
        }
        return parent.keys.filter { pid in
            var current = parent[pid]
            while let p = current, p > 1 {
                if p == root { return true }
                current = parent[p]
            }
            return false
        }
    }
}

/// `ClusterSpec.daemonStartsDrivers`: `submit` leaves the job to the daemon, which starts its
/// driver in its own process tree (a Slurm batch step under cgroup tracking).
@Suite(.serialized)
struct SkyletDaemonDriverTests {
    @Test func theDaemonStartsTheDriverAndTheSecretsDoNotStay() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        var cluster = h.cluster
        cluster.daemonStartsDrivers = true
        let started = try h.run(["start"], stdin: try JSONEncoder().encode(cluster))
        #expect(started.code == 0, "\(started.err)")
        #expect(started.out.contains(#"{"pid":0}"#), "start must leave the daemon to the holder")

        let id = try h.submit(
            h.spec(run: "echo token-is-$TOKEN", secrets: [["TOKEN", "s3cr3t-value"]]))
        let pending = h.head + "/.sky/skylet/pending/\(id).json"
        #expect(FileManager.default.fileExists(atPath: pending))
        let mode = try FileManager.default.attributesOfItem(atPath: pending)[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)
        usleep(300_000)
        #expect(try h.status(id) == .initializing, "no driver before the daemon runs")

        // The holder (the batch script on Slurm) runs the daemon in the foreground.
        let daemon = try h.launch(["daemon", "--foreground"])
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
        }
        #expect(try h.waitFor(id, timeout: 20) == .succeeded)
        let log = try h.logs(id)
        #expect(log.contains("token-is-<redacted>"), "the driver got the secret: \(log)")
        #expect(!log.contains("s3cr3t-value"))
        #expect(!FileManager.default.fileExists(atPath: pending), "the spec with secrets is gone")

        // A second job while the daemon runs: submit wakes it.
        let second = try h.submit(h.spec(run: "echo second"))
        #expect(try h.waitFor(second, timeout: 20) == .succeeded)
        #expect(try h.logs(second).contains("second"))
    }
}

extension SkyletDaemonDriverTests {
    /// A launch may install a build over the running daemon's file (the kernel then names the
    /// running executable `<path> (deleted)`): the daemon still starts drivers, from the path.
    @Test func aDaemonWhoseFileWasReplacedStillStartsDrivers() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let binary = try h.installedCopy(hash: "-")
        var cluster = h.cluster
        cluster.daemonStartsDrivers = true
        #expect(try h.run(["write-cluster"], stdin: try JSONEncoder().encode(cluster)).code == 0)

        let daemon = try h.launch(["daemon", "--foreground"], binary: binary)
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
        }
        #expect(h.waitForFile(h.head + "/.sky/skylet/daemon.pid"))
        // Install "another build" over it: a new file renamed onto the path.
        try FileManager.default.copyItem(
            atPath: SkyletHarness.skyletBinary, toPath: binary + ".new")
        #expect(rename(binary + ".new", binary) == 0)

        let id = try h.submit(h.spec(run: "echo after-the-install"))
        #expect(try h.waitFor(id, timeout: 20) == .succeeded)
        #expect(try h.logs(id).contains("after-the-install"))
    }
}
