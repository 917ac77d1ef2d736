import Foundation
import SkyCore
import Testing

@testable import SkyEngine

/// exec / queue / logs / cancel through the engine on a local-backend cluster.
@Suite(
    .fixtureScope, .serialized,
    .enabled(if: LifecycleFixture.skyletAvailable, "skylet binary not built"))
struct JobsLocalTests {
    @Test func execQueueLogsAndCancelOnAnUpCluster() async throws {
        let fx = try LifecycleFixture(tag: "jobs")
        let first = try await fx.launch("run: echo launched\n", cluster: "jc")
        #expect(first.jobStatus == .succeeded)

        // exec syncs the workdir and runs without setup.
        let workdir = fx.root + "/wd"
        try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
        try "payload".write(toFile: workdir + "/data.txt", atomically: true, encoding: .utf8)
        var task = try fx.task(
            "setup: echo SHOULD-NOT-RUN\nrun: cat data.txt; echo \" rank=$SKYPILOT_NODE_RANK\"\n")
        task.workdir = .path(workdir)
        let lines = LineBox()
        let result = try await fx.engine.exec(
            task, cluster: "jc", detach: false,
            output: LaunchOutput(log: { lines.append($0) }))
        #expect(result.jobID == 2)
        #expect(result.jobStatus == .succeeded)
        let output = lines.take()
        #expect(output.contains("payload rank=0"))
        #expect(!output.contains { $0.contains("SHOULD-NOT-RUN") })

        // A detached long job, then cancel it.
        let long = try await fx.engine.exec(
            try fx.task("run: sleep 300\n"), cluster: "jc", detach: true)
        #expect(long.jobStatus == nil)
        let longID = try #require(long.jobID)
        let queues = try await fx.engine.queue(["jc"], skipFinished: true, allUsers: false)
        #expect(queues.first?.jobs.map(\.jobID) == [longID])
        let json = SkyEngine.queueJSON(
            try await fx.engine.queue([], skipFinished: false, allUsers: true))
        let parsed = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [[String: Any]]])
        #expect(parsed["jc"]?.count == 3)
        let keys = Set((parsed["jc"]?.first ?? [:]).keys)
        #expect(
            keys.isSuperset(of: [
                "job_id", "job_name", "username", "user_hash", "submitted_at", "start_at", "end_at",
                "resources", "status", "log_path", "metadata",
            ]))
        let cancelled = try await fx.engine.cancel(
            cluster: "jc", jobIDs: [], all: false, allUsers: false)
        #expect(cancelled.cancelled == [longID])
        let statuses = try await fx.engine.jobStatuses(cluster: "jc", jobIDs: [1, longID, 99])
        #expect(statuses.map(\.1) == [.succeeded, .cancelled, nil])

        // logs: the whole log of job 2, and its status.
        let logLines = LineBox()
        let final = try await fx.engine.logs(
            cluster: "jc", jobID: 2, follow: true, tail: nil, worker: nil,
            onLine: { logLines.append($0) })
        #expect(final == .succeeded)
        #expect(logLines.take() == ["payload rank=0"])
        await #expect(throws: JobsError.self) {
            _ = try await fx.engine.logs(
                cluster: "jc", jobID: 42, follow: false, tail: nil, worker: nil, onLine: { _ in })
        }

        // --sync-down copies the log directory here.
        let synced = try await fx.engine.syncDownLogs(cluster: "jc", jobIDs: [2])
        let local = try #require(synced.first?.1)
        #expect(local.hasPrefix(fx.root + "/sky_logs/sky-"))
        #expect(
            (try? String(contentsOfFile: local + "/run.log", encoding: .utf8)) == "payload rank=0\n"
        )
    }

    @Test func jobCommandsNameMissingAndStoppedClusters() async throws {
        let fx = try LifecycleFixture(tag: "jobs-missing")
        do {
            _ = try await fx.engine.exec(Task(run: "true"), cluster: "nope", detach: true)
            Issue.record("exec on a missing cluster must fail")
        } catch let error as JobsError {
            #expect(error.description.contains("nope does not exist"))
        }
        _ = try await fx.launch("run: echo hi\n", cluster: "js")
        try await fx.engine.stop("js")
        do {
            _ = try await fx.engine.exec(Task(run: "true"), cluster: "js", detach: true)
            Issue.record("exec on a stopped cluster must fail")
        } catch let error as JobsError {
            #expect(error.description.contains("STOPPED"))
        }
        let queues = try await fx.engine.queue(["js"], skipFinished: false, allUsers: true)
        #expect(queues.first?.error?.contains("STOPPED") == true)
    }
}
