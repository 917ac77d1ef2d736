import Foundation
import SkyCore
import SkyRuntime
import SkySlurm
import Testing

@testable import SkyEngine

/// Slurm with `proctrack/cgroup` (the bed started with `SLURM_PROCTRACK=cgroup`; scripts/test.sh
/// runs this suite in a second pass on it): every process a step started ends with the step,
/// daemons and `setsid` included. So the cluster is a batch job (chosen without being asked)
/// whose batch step holds the skylet daemon, the daemon starts the job drivers there, and
/// nothing started in the step of a command (`sky launch`, `exec`) may be needed after it.
@Suite(
    .fixtureScope, .serialized, .timeLimit(.minutes(5)),
    .enabled(
        if: SlurmLifecycleBed.available
            && SlurmLifecycleBed.env["SLURM_TESTBED_PROCTRACK"] == "cgroup",
        "needs the Slurm test bed with cgroup tracking: SLURM_PROCTRACK=cgroup Tests/testbed/slurm.sh up"
    ))
struct LifecycleSlurmCgroupTests {
    /// The bed's freezer hierarchies (one per node), where Slurm keeps a cgroup per step.
    static let freezer = "/sys/fs/cgroup/freezer"

    /// Cgroup folders of Slurm job `jobID` on any node.
    static func cgroups(of jobID: String) -> [String] {
        let trees = (try? FileManager.default.contentsOfDirectory(atPath: freezer)) ?? []
        return trees.filter { $0.hasPrefix("slurm") }.flatMap { tree -> [String] in
            let users =
                (try? FileManager.default.contentsOfDirectory(atPath: "\(freezer)/\(tree)")) ?? []
            return users.compactMap { user in
                let path = "\(freezer)/\(tree)/\(user)/job_\(jobID)"
                return FileManager.default.fileExists(atPath: path) ? path : nil
            }
        }
    }

    /// Pids of processes whose command line contains `marker`.
    static func processes(_ marker: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.filter { pid in
            guard let line = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
            else { return false }
            return String(decoding: line.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker)
        }
    }

    @Test func aClusterIsABatchJobAndItsJobsOutliveTheCommandsThatStartedThem() async throws {
        let fx = try LifecycleFixture(tag: "slurmcg")
        let result = try await fx.launch(
            "resources:\n  infra: slurm\n  cpus: 1\nnum_nodes: 2\nrun: echo rank=$SKYPILOT_NODE_RANK",
            cluster: "cg")
        #expect(result.jobStatus == .succeeded)
        #expect(
            Set(fx.takeLines().filter { $0.contains("rank=") }.map { $0.suffix(6) }) == [
                "rank=0", "rank=1",
            ])
        let nameOnCloud = try await SlurmLifecycleBed.nameOnCloud(fx, "cg")
        let job = try #require(try await SlurmLifecycleBed.activeJobs(nameOnCloud).first)
        #expect(job.batch, "under proctrack/cgroup the allocation is a batch job")
        let allocation = String(job.id)

        // A detached job: its driver must not live in the step of the `exec` that submitted
        // it (that step ends at once, and its cgroup with it).
        let marker = "sky-cgroup-\(UUID().uuidString.prefix(8))"
        let detached = try await fx.engine.exec(
            try fx.task(
                "num_nodes: 2\nrun: sleep 1; echo done-$SKYPILOT_NODE_RANK"),
            cluster: "cg", detach: true, output: fx.output)
        let id = try #require(detached.jobID)
        // One that leaves its session on each node (setsid), then waits.
        let long = try await fx.engine.exec(
            try fx.task(
                "num_nodes: 2\nrun: setsid bash -c 'sleep 900; true' \(marker) </dev/null >/dev/null 2>&1 & sleep 600"
            ),
            cluster: "cg", detach: true, output: fx.output)
        let longID = try #require(long.jobID)

        var final: JobStatus?
        for _ in 0..<150 {
            let queue = try await fx.engine.queue(["cg"], skipFinished: false, allUsers: true)
            final = queue.first?.jobs.first { $0.jobID == id }?.status
            if final?.isTerminal == true { break }
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
        }
        #expect(final == .succeeded)
        let logged = LineBox()
        _ = try await fx.engine.logs(
            cluster: "cg", jobID: id, follow: false, tail: nil, worker: nil,
            onLine: { logged.append($0) })
        #expect(
            Set(logged.take().filter { $0.contains("done-") }.map { $0.suffix(6) }) == [
                "done-0", "done-1",
            ])

        var escaped: [String] = []
        for _ in 0..<100 where escaped.count < 2 {
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
            escaped = Self.processes(marker)
        }
        #expect(escaped.count == 2, "one escaped process per node: \(escaped)")
        let queue = try await fx.engine.queue(["cg"], skipFinished: false, allUsers: true)
        #expect(queue.first?.jobs.contains { $0.jobID == longID && $0.status == .running } == true)
        #expect(!Self.cgroups(of: allocation).isEmpty)

        try await fx.engine.down("cg")
        #expect(try await SlurmLifecycleBed.squeue(nameOnCloud).isEmpty)
        var left = Self.processes(marker)
        for _ in 0..<50 where !left.isEmpty {
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
            left = Self.processes(marker)
        }
        #expect(left.isEmpty, "processes of the cluster left after down: \(left)")
        var cgroups = Self.cgroups(of: allocation)
        for _ in 0..<50 where !cgroups.isEmpty {
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
            cgroups = Self.cgroups(of: allocation)
        }
        #expect(cgroups.isEmpty, "cgroups of the allocation left after down: \(cgroups)")
        #expect(try await fx.record("cg") == nil)
    }

    /// `slurm.allocation: salloc` cannot work here (the daemon and detached jobs' drivers
    /// would end with the step of the command that started them): refused before anything is
    /// submitted, naming the way that works.
    @Test func sallocIsRefusedBeforeSubmitting() async throws {
        let fx = try LifecycleFixture(tag: "slurmcgsalloc")
        try "slurm:\n  allocation: salloc\n".write(
            toFile: fx.skyHome + "/config.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try await fx.launch("resources:\n  infra: slurm\nrun: echo never", cluster: "sa")
            Issue.record("slurm.allocation: salloc was accepted under proctrack/cgroup")
        } catch {
            #expect("\(error)".contains("slurm.allocation: salloc does not work"))
            #expect("\(error)".contains("slurm.allocation: sbatch"))
        }
        #expect(try await fx.record("sa") == nil)
        let squeue = try await ProcessExecution.run(
            ["squeue", "-h", "-o", "%j"], environment: SlurmLifecycleBed.env)
        #expect(!squeue.stdout.contains("sa-"), "a job was submitted: \(squeue.stdout)")
    }
}
