import Foundation
import SkyCore
import Testing

@Suite(.serialized)
struct SkyletJobTests {
    @Test func singleNodeJobRunsAndLogs() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let id = try h.submit(
            h.spec(
                run: "echo hello from $SKYPILOT_NODE_RANK of $SKYPILOT_NUM_NODES; pwd",
                name: "first"))
        #expect(id == 1)
        #expect(try h.waitFor(id) == .succeeded)
        let log = try h.logs(id)
        #expect(log.contains("hello from 0 of 1"))
        #expect(log.contains("\(h.head)/sky_workdir"))
        let job = try #require(try h.queue().first)
        #expect(job.jobName == "first")
        #expect(job.username == "tester")
        #expect(job.startAt != nil && job.endAt != nil)
        #expect(job.logPath.hasPrefix("~/sky_logs/sky-"))
        let second = try h.submit(h.spec(run: "true"))
        #expect(second == 2)
    }

    @Test func failingRunIsFailedAndStatusCodesMatch() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let id = try h.submit(h.spec(run: "echo about to fail; exit 7"))
        #expect(try h.waitFor(id) == .failed)
        #expect(try h.logs(id).contains("about to fail"))
        let status = try h.run(["status", String(id)])
        #expect(status.out.contains("\"FAILED\""))
        #expect(JobStatus.failed.exitCode == 100)
    }

    @Test func setupFailureIsFailedSetupAndRunNeverStarts() throws {
        let h = try SkyletHarness(nodes: 2)
        defer { h.cleanup() }
        let marker = h.root + "/run-started"
        let id = try h.submit(
            h.spec(
                run: "touch \(marker)",
                setup:
                    "echo setting up on $SKYPILOT_SETUP_NODE_RANK; [ $SKYPILOT_SETUP_NODE_RANK = 0 ] || exit 3"
            ))
        #expect(try h.waitFor(id) == .failedSetup)
        #expect(!FileManager.default.fileExists(atPath: marker))
        let log = try h.logs(id)
        #expect(log.contains("setting up on 0"))
        #expect(log.contains("setting up on 1"))
    }

    @Test func setupRunsOnEveryNodeInWorkdirThenRun() throws {
        let h = try SkyletHarness(nodes: 2)
        defer { h.cleanup() }
        let id = try h.submit(
            h.spec(
                run: "cat setup-done; echo IPS=$(echo $SKYPILOT_SETUP_NODE_IPS)",
                setup: "echo setup-rank-$SKYPILOT_SETUP_NODE_RANK > setup-done"))
        #expect(try h.waitFor(id) == .succeeded)
        // Setup ran on both nodes (each in its own ~/sky_workdir); run only on rank 0.
        for (rank, home) in h.nodeHomes.enumerated() {
            let text = try String(contentsOfFile: home + "/sky_workdir/setup-done", encoding: .utf8)
            #expect(text.contains("setup-rank-\(rank)"))
        }
        #expect(try h.logs(id).contains("setup-rank-0"))
    }

    @Test func twoNodeJobSeesRankIPsAndEnvOnEveryNode() throws {
        let h = try SkyletHarness(nodes: 2)
        defer { h.cleanup() }
        let id = try h.submit(
            h.spec(
                run:
                    #"echo "rank=$SKYPILOT_NODE_RANK nodes=$SKYPILOT_NUM_NODES ips=$(echo $SKYPILOT_NODE_IPS | tr ' ' ,) greeting=$GREETING home=$HOME task=$SKYPILOT_TASK_ID""#,
                nodes: 2, envs: [["GREETING", "hi there"]]))
        #expect(try h.waitFor(id) == .succeeded)
        let log = try h.logs(id)
        #expect(
            log.contains(
                "(head, rank=0) rank=0 nodes=2 ips=127.0.0.1,127.0.0.2 greeting=hi there home=\(h.nodeHomes[0])"
            ))
        #expect(
            log.contains(
                "(worker1, rank=1, ip=127.0.0.2) rank=1 nodes=2 ips=127.0.0.1,127.0.0.2 greeting=hi there home=\(h.nodeHomes[1])"
            ))
        #expect(log.contains("_testc_\(id)"))
        let worker = try h.logs(id, extra: ["--worker", "1"])
        #expect(worker.contains("rank=1 nodes=2"))
        #expect(!worker.contains("rank=0"))
        let tail = try h.logs(id, extra: ["--tail", "1"])
        #expect(tail.split(separator: "\n").count == 1)
    }

    /// `--tail` with `--follow` trims what the log held when the follow began, never lines
    /// that arrive later (here the log is still empty when the follow starts).
    @Test func followWithTailKeepsEveryLaterLine() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let id = try h.submit(h.spec(run: "sleep 1; echo later-a; echo later-b; echo later-c"))
        let out = try h.run(["logs", String(id), "--tail", "1"])
        #expect(out.code == 0, "\(out.err)")
        for line in ["later-a", "later-b", "later-c"] { #expect(out.out.contains(line)) }
        let done = try h.run(["logs", String(id), "--tail", "1"])
        #expect(done.out.split(separator: "\n").map(String.init) == ["later-c"])
    }

    @Test func clusterInfoAndTaskIDFormat() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let id = try h.submit(
            h.spec(
                run:
                    #"echo "info=$SKYPILOT_CLUSTER_INFO"; echo "task=$SKYPILOT_TASK_ID"; echo "user=$SKYPILOT_USER""#
            ))
        #expect(try h.waitFor(id) == .succeeded)
        let log = try h.logs(id)
        #expect(
            log.contains(
                #"info={"cluster_name": "testc", "cloud": "local", "region": null, "zone": null}"#))
        #expect(log.contains("user=tester"))
        let task = try #require(log.split(separator: "\n").first { $0.hasPrefix("task=") })
        #expect(task.hasPrefix("task=sky-") && task.hasSuffix("_testc_\(id)"))
    }

    @Test func followStreamsUntilTheJobEnds() throws {
        let h = try SkyletHarness()
        defer { h.cleanup() }
        let id = try h.submit(h.spec(run: "echo one; sleep 1; echo two"))
        let result = try h.run(["logs", String(id), "--follow", "--status-marker"])
        #expect(result.out.contains("one\ntwo\n"))
        #expect(result.out.hasSuffix("__SKYLET_JOB_STATUS__ SUCCEEDED\n"))
    }

    @Test func unschedulableJobIsRefused() throws {
        let h = try SkyletHarness(nodes: 1, cpus: 2)
        defer { h.cleanup() }
        let result = try h.run(
            ["submit"], stdin: try JSONEncoder().encode(h.spec(run: "true", nodes: 2)))
        #expect(result.code != 0)
        #expect(result.err.contains("needs 2 nodes"))
    }
}
