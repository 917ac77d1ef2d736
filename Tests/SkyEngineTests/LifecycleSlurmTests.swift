import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import SkySlurm
import SkyState
import Testing

@testable import SkyEngine

/// The Slurm test bed (`Tests/testbed/slurm.sh up`, then `eval "$(Tests/testbed/slurm.sh env)"`):
/// 4 nodes with 2 fake GPUs (`gpu:fake:2`) each, sharing this machine's filesystem.
enum SlurmLifecycleBed {
    static let env = ProcessInfo.processInfo.environment
    static var available: Bool {
        !(env["SLURM_CONF"] ?? "").isEmpty && LifecycleFixture.skyletAvailable
    }

    /// Active Slurm jobs named `nameOnCloud`, through libslurm.
    static func activeJobs(_ nameOnCloud: String) async throws -> [SlurmJob] {
        try await SlurmProvisioner(environment: env).client().activeJobs(named: nameOnCloud)
    }

    /// `squeue` lines of jobs named `nameOnCloud`.
    static func squeue(_ nameOnCloud: String) async throws -> [String] {
        let result = try await ProcessExecution.run(
            ["squeue", "-h", "-n", nameOnCloud, "-o", "%i %T"], environment: env)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// The name of the step the skylet daemon runs in, in salloc mode (`SlurmStep`).
    static let daemonStep = "sky-skylet-daemon"

    /// Ids of job `jobID`'s steps (`squeue -s`) other than its batch step and the skylet
    /// daemon's; `named`: only the steps of that name.
    static func steps(_ jobID: String, named: String? = nil) async throws -> [String] {
        let result = try await ProcessExecution.run(
            ["squeue", "-h", "-s", "-j", jobID, "-o", "%i %j"], environment: env)
        return result.stdout.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard let id = fields.first, !id.hasSuffix(".batch"), !id.hasSuffix(".extern")
            else { return nil }
            let name = fields.count > 1 ? fields[1] : ""
            if let named { return name == named ? id : nil }
            return name == daemonStep ? nil : id
        }
    }

    /// Whether process `pid` runs (a zombie does not).
    static func running(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[close...].dropFirst().trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    static func nameOnCloud(_ fx: LifecycleFixture, _ cluster: String) async throws -> String {
        try #require(try await fx.record(cluster)?.clusterNameOnCloud)
    }
}

@Suite(
    .fixtureScope, .serialized, .timeLimit(.minutes(5)),
    .enabled(
        if: SlurmLifecycleBed.available,
        "Slurm testbed or skylet missing: Tests/testbed/slurm.sh up; eval \"$(Tests/testbed/slurm.sh env)\"; build skylet"
    ))
struct LifecycleSlurmTests {
    /// Pids of live processes whose command line starts with `name` (the bed's nodes share
    /// this machine's /proc).
    static func processes(named name: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                cmdline.starts(with: Array(name.utf8)),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"),
                stat[close...].dropFirst(2).first != "Z"
            else { return nil }
            return pid
        }
    }

    @Test func twoNodeGPUClusterRunsExecsQueuesCancelsAndGoesDown() async throws {
        let fx = try LifecycleFixture(tag: "slurm2")
        let result = try await fx.launch(
            """
            resources:
              infra: slurm
              accelerators: fake:1
            num_nodes: 2
            run: echo "rank=$SKYPILOT_NODE_RANK nodes=$SKYPILOT_NUM_NODES cvd=$CUDA_VISIBLE_DEVICES host=$(hostname)"
            """, cluster: "gpu2")
        #expect(result.jobStatus == .succeeded)
        let lines = fx.takeLines()
        let ranks = lines.filter { $0.contains("rank=") }
        #expect(ranks.count == 2)
        #expect(
            ranks.contains {
                $0.contains("rank=0 nodes=2 cvd=0") || $0.contains("rank=0 nodes=2 cvd=1")
            })
        #expect(
            ranks.contains {
                $0.contains("rank=1 nodes=2 cvd=0") || $0.contains("rank=1 nodes=2 cvd=1")
            })
        // Two different nodes of the allocation.
        let hosts = Set(ranks.compactMap { $0.components(separatedBy: "host=").last })
        #expect(hosts.count == 2)

        let nameOnCloud = try await SlurmLifecycleBed.nameOnCloud(fx, "gpu2")
        let jobs = try await SlurmLifecycleBed.activeJobs(nameOnCloud)
        #expect(jobs.count == 1)
        let allocation = String(try #require(jobs.first?.id))
        #expect(jobs.first?.numNodes == 2)

        // `ssh <cluster>` / `ssh <cluster>-worker1`: the node's sshd in inetd mode, started as
        // a step of the allocation; the session's home is the cluster's, as for its jobs.
        let nodes = try #require(jobs.first?.nodes)
        for (alias, node) in [("gpu2", nodes[0]), ("gpu2-worker1", nodes[1])] {
            let ssh = try await ProcessExecution.run(
                [
                    "ssh", "-F", fx.root + "/.ssh/config", "-o", "BatchMode=yes", alias,
                    "hostname; echo \"home=$HOME\"",
                ], environment: SlurmLifecycleBed.env)
            #expect(ssh.exitCode == 0, "\(ssh.stderr)")
            #expect(ssh.stdout.split(separator: "\n").first.map(String.init) == node)
            #expect(ssh.stdout.contains("home=\(fx.root)/.sky/slurm/clusters/\(nameOnCloud)"))
            #expect(!ssh.stderr.contains("srun: error"), "\(ssh.stderr)")
        }
        // A command and a login shell start in the cluster's home (beside sky_workdir), the
        // login shell after the user's own login files (read with HOME = the user's home).
        let clusterHome = "\(fx.root)/.sky/slurm/clusters/\(nameOnCloud)"
        try "export SKY_TEST_PROFILE=\"read in $HOME\"\n".write(
            toFile: fx.root + "/.profile", atomically: true, encoding: .utf8)
        let command = try await ProcessExecution.run(
            ["ssh", "-F", fx.root + "/.ssh/config", "-o", "BatchMode=yes", "gpu2", "pwd"],
            environment: SlurmLifecycleBed.env)
        #expect(command.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == clusterHome)
        let login = try await ProcessExecution.run(
            ["ssh", "-F", fx.root + "/.ssh/config", "-o", "BatchMode=yes", "-T", "gpu2"],
            environment: SlurmLifecycleBed.env,
            stdin: Data("pwd; echo \"profile=$SKY_TEST_PROFILE\"\n".utf8))
        #expect(
            login.stdout.split(separator: "\n").map(String.init) == [
                clusterHome, "profile=read in \(fx.root)",
            ], "\(login.stdout) \(login.stderr)")

        // exec, queue, logs.
        let exec = try await fx.engine.exec(
            try fx.task("run: echo exec-on-$SKYPILOT_NODE_RANK"), cluster: "gpu2", detach: false,
            output: fx.output)
        #expect(exec.jobStatus == .succeeded)
        #expect(fx.takeLines().contains { $0.contains("exec-on-0") })
        // A failing job's log says so once, as on every backend: without srun's own
        // "srun: error: node1: task 0: Exited with exit code 3" per node.
        let failing = try await fx.engine.exec(
            try fx.task("num_nodes: 2\nrun: echo failing-on-$SKYPILOT_NODE_RANK; exit 3"),
            cluster: "gpu2", detach: false, output: fx.output)
        #expect(failing.jobStatus == .failed)
        let failedLines = fx.takeLines()
        #expect(failedLines.contains { $0.contains("failing-on-1") })
        #expect(failedLines.contains { $0.contains("failed with return code 3") })
        #expect(!failedLines.contains { $0.contains("srun: error") }, "\(failedLines)")
        // Inside the job, Slurm's variables describe the job's nodes as a batch script sees
        // them, and an srun started by the task (SkyPilot's Slurm examples start MPI and NCCL
        // programs so) spans them.
        let nested = try await fx.engine.exec(
            try fx.task(
                """
                num_nodes: 2
                run: |
                  echo "view rank=$SLURM_NODEID nnodes=$SLURM_NNODES list=$SLURM_JOB_NODELIST"
                  if [ "$SKYPILOT_NODE_RANK" = 0 ]; then
                    srun -N "$SKYPILOT_NUM_NODES" --ntasks-per-node=1 bash -c 'echo "nested $SLURM_PROCID on $(hostname)"'
                  fi
                """), cluster: "gpu2", detach: false, output: fx.output)
        let nestedLines = fx.takeLines()
        #expect(nested.jobStatus == .succeeded, "\(nestedLines)")
        let list = nodes.joined(separator: ",")
        #expect(nestedLines.contains { $0.hasSuffix("view rank=0 nnodes=2 list=\(list)") })
        #expect(nestedLines.contains { $0.hasSuffix("view rank=1 nnodes=2 list=\(list)") })
        #expect(nestedLines.contains { $0.hasSuffix("nested 0 on \(nodes[0])") }, "\(nestedLines)")
        #expect(nestedLines.contains { $0.hasSuffix("nested 1 on \(nodes[1])") }, "\(nestedLines)")
        let logged = LineBox()
        let status = try await fx.engine.logs(
            cluster: "gpu2", jobID: 1, follow: false, tail: nil, worker: nil,
            onLine: { logged.append($0) })
        #expect(status == .succeeded)
        #expect(logged.take().contains { $0.contains("rank=1 nodes=2") })

        // A long job's steps are cancelled, and so is what it left in its session after its
        // parent ended (out of the step's reach); the allocation stays.
        let escaped = "sky-escaped-\(UUID().uuidString.prefix(8))"
        let long = try await fx.engine.exec(
            try fx.task(
                "num_nodes: 2\nrun: echo started; ( exec -a \(escaped) sleep 900 & ); sleep 600"),
            cluster: "gpu2", detach: true, output: fx.output)
        let longID = try #require(long.jobID)
        var running: [String] = []
        for _ in 0..<100 {
            running = try await SlurmLifecycleBed.steps(allocation)
            if running.count >= 2 { break }
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
        }
        #expect(running.count >= 2)
        // Each node's bash reads its payload (the job's environment, secrets included) from a
        // file only the user can read, not from srun's stdin; it is removed with the step.
        let payloads = fx.root + "/.sky/slurm/clusters/\(nameOnCloud)/.sky/skylet/payloads"
        let files = try FileManager.default.contentsOfDirectory(atPath: payloads)
        #expect(files.count == 2)
        for name in files + [""] {
            let attributes = try FileManager.default.attributesOfItem(atPath: payloads + "/" + name)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == (name.isEmpty ? 0o700 : 0o600), "\(name)")
        }
        // Each node's step is named after the job (`squeue -s`, `sacct`).
        #expect(
            try await SlurmLifecycleBed.steps(allocation, named: "sky-job\(longID)-run").count
                == 2)
        let queue = try await fx.engine.queue(["gpu2"], skipFinished: false, allUsers: true)
        #expect(queue.first?.jobs.contains { $0.jobID == longID && $0.status == .running } == true)
        let cancelled = try await fx.engine.cancel(
            cluster: "gpu2", jobIDs: [longID], all: false, allUsers: false)
        #expect(cancelled.cancelled == [longID])
        var left = try await SlurmLifecycleBed.steps(allocation)
        for _ in 0..<50 where !left.isEmpty {
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
            left = try await SlurmLifecycleBed.steps(allocation)
        }
        #expect(left.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: payloads).isEmpty)
        var survivors = Self.processes(named: escaped)
        for _ in 0..<50 where !survivors.isEmpty {
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
            survivors = Self.processes(named: escaped)
        }
        #expect(survivors.isEmpty, "left running after cancel: \(survivors)")
        #expect(try await SlurmLifecycleBed.activeJobs(nameOnCloud).count == 1)

        let refreshed = try await fx.engine.status(["gpu2"], refresh: true)
        #expect(refreshed.first?.status == .up)

        // No stop on Slurm; down leaves no job behind.
        await #expect(throws: (any Error).self) { try await fx.engine.stop("gpu2") }
        try await fx.engine.down("gpu2")
        #expect(!FileManager.default.fileExists(atPath: fx.skyHome + "/generated/ssh/gpu2"))
        #expect(try await SlurmLifecycleBed.activeJobs(nameOnCloud).isEmpty)
        #expect(try await SlurmLifecycleBed.squeue(nameOnCloud).isEmpty)
        #expect(try await fx.record("gpu2") == nil)
    }

    /// Two clusters of one user launched at once with a skylet build their shared
    /// `~/.sky/bin` does not have yet: both install it (atomically, while their allocations
    /// start) and both run; one complete binary and its hash are left, nothing half-written.
    @Test func twoClustersLaunchedAtOnceInstallOneSkylet() async throws {
        let fx = try LifecycleFixture(tag: "slurmpair")
        let yaml = "resources:\n  infra: slurm\n  cpus: 1\nrun: echo pair-$SKYPILOT_NODE_RANK\n"
        async let first = fx.launch(yaml, cluster: "pa")
        async let second = fx.launch(yaml, cluster: "pb")
        let (a, b) = try await (first, second)
        #expect(a.jobStatus == .succeeded)
        #expect(b.jobStatus == .succeeded)
        let bin = fx.root + "/.sky/bin"
        let local = SkyletBinary.locate(environment: SlurmLifecycleBed.env)
        let hash = try await SkyletBinary.sha256(local)
        let installed = try await ProcessExecution.run(["sha256sum", bin + "/skylet"])
        #expect(installed.stdout.hasPrefix(hash))
        let recorded = try String(contentsOfFile: bin + "/skylet.sha256", encoding: .utf8)
        #expect(recorded.trimmingCharacters(in: .whitespacesAndNewlines) == hash)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: bin).sorted() == [
                "skylet", "skylet.sha256",
            ])
        try await fx.engine.down("pa")
        try await fx.engine.down("pb")
    }

    /// In salloc mode the skylet daemon runs in a step of its own on the head node, so an
    /// allocation ended outside Sky (scancel, its time limit) ends the daemon with it. A
    /// daemon outside every step ran on, idle, until `status -r` or `down` removed the
    /// cluster's files.
    @Test func theDaemonEndsWithAnAllocationEndedOutsideSky() async throws {
        let fx = try LifecycleFixture(tag: "slurmgone")
        let result = try await fx.launch(
            "resources:\n  infra: slurm\n  cpus: 1\nrun: echo up", cluster: "gone")
        #expect(result.jobStatus == .succeeded)
        let nameOnCloud = try await SlurmLifecycleBed.nameOnCloud(fx, "gone")
        let allocation = String(
            try #require(try await SlurmLifecycleBed.activeJobs(nameOnCloud).first?.id))
        let pidFile = fx.root + "/.sky/slurm/clusters/\(nameOnCloud)/.sky/skylet/daemon.pid"
        var pid: Int32?
        var step: [String] = []
        // The daemon starts half a second after the job.
        for _ in 0..<100 {
            pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            step = try await SlurmLifecycleBed.steps(
                allocation, named: SlurmLifecycleBed.daemonStep)
            if pid != nil && !step.isEmpty { break }
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
        }
        let daemon = try #require(pid)
        #expect(SlurmLifecycleBed.running(daemon))
        #expect(step.count == 1, "the daemon's step: \(step)")

        _ = try await ProcessExecution.run(
            ["scancel", allocation], environment: SlurmLifecycleBed.env)
        for _ in 0..<100 where SlurmLifecycleBed.running(daemon) {
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
        }
        #expect(!SlurmLifecycleBed.running(daemon), "the daemon outlived its allocation")
        let refreshed = try await fx.engine.status(["gone"], refresh: true)
        #expect(refreshed.isEmpty)
        #expect(try await fx.record("gone") == nil)
    }

    /// Autostop on Slurm is down, carried out on the cluster: when it fires, the daemon ends
    /// the allocation itself (in both allocation modes), so the nodes go back to the queue
    /// without waiting for a `sky status -r`; that then forgets the cluster.
    @Test(arguments: ["salloc", "sbatch"])
    func autostopEndsTheAllocation(_ mode: String) async throws {
        let fx = try LifecycleFixture(
            tag: "slurmidle",
            environment: ["SKYLET_MINUTE_SECONDS": "1", "SKYLET_AUTOSTOP_CHECK_SECONDS": "0.2"])
        try "slurm:\n  allocation: \(mode)\n".write(
            toFile: fx.skyHome + "/config.yaml", atomically: true, encoding: .utf8)
        let result = try await fx.launch(
            "resources:\n  infra: slurm\n  cpus: 1\nrun: echo idle-soon", cluster: "idle")
        #expect(result.jobStatus == .succeeded)
        let nameOnCloud = try await SlurmLifecycleBed.nameOnCloud(fx, "idle")
        #expect(try await SlurmLifecycleBed.activeJobs(nameOnCloud).count == 1)
        try await fx.engine.autostop("idle", idleMinutes: 1, down: true)
        var left = try await SlurmLifecycleBed.activeJobs(nameOnCloud)
        for _ in 0..<300 where !left.isEmpty {
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
            left = try await SlurmLifecycleBed.activeJobs(nameOnCloud)
        }
        #expect(left.isEmpty, "the idle cluster's allocation is still held")
        #expect(try await fx.engine.status(["idle"], refresh: true).isEmpty)
        #expect(try await fx.record("idle") == nil)
    }

    @Test func oneNodeCPUClusterSeesNoGPUs() async throws {
        let fx = try LifecycleFixture(tag: "slurm1")
        let result = try await fx.launch(
            """
            resources:
              infra: slurm
              cpus: 1
            run: echo "rank=$SKYPILOT_NODE_RANK cvd=[${CUDA_VISIBLE_DEVICES:-}]"
            """, cluster: "cpu1")
        #expect(result.jobStatus == .succeeded)
        #expect(fx.takeLines().contains { $0.contains("rank=0 cvd=[]") })
        let nameOnCloud = try await SlurmLifecycleBed.nameOnCloud(fx, "cpu1")
        #expect(try await SlurmLifecycleBed.activeJobs(nameOnCloud).first?.numNodes == 1)
        try await fx.engine.down("cpu1")
        #expect(try await SlurmLifecycleBed.squeue(nameOnCloud).isEmpty)
    }

    /// `slurm.allocation`: by default an allocation without a batch step (granted in the
    /// call, like `salloc --no-shell`); `sbatch` submits a batch job holding it (SkyPilot's
    /// way). Both run the task and leave no job after `down`.
    @Test(arguments: [nil, "sbatch", "salloc"])
    func allocationModes(_ mode: String?) async throws {
        let fx = try LifecycleFixture(tag: "slurmmode")
        if let mode {
            try "slurm:\n  allocation: \(mode)\n".write(
                toFile: fx.skyHome + "/config.yaml", atomically: true, encoding: .utf8)
        }
        let result = try await fx.launch(
            "resources:\n  infra: slurm\n  cpus: 1\nnum_nodes: 2\nrun: echo rank=$SKYPILOT_NODE_RANK",
            cluster: "mode")
        #expect(result.jobStatus == .succeeded)
        #expect(
            Set(fx.takeLines().filter { $0.contains("rank=") }.map { $0.suffix(6) }) == [
                "rank=0", "rank=1",
            ])
        let nameOnCloud = try await SlurmLifecycleBed.nameOnCloud(fx, "mode")
        let job = try #require(try await SlurmLifecycleBed.activeJobs(nameOnCloud).first)
        let shown = try await ProcessExecution.run(
            ["scontrol", "show", "job", String(job.id)], environment: SlurmLifecycleBed.env)
        #expect(shown.stdout.contains(mode == "sbatch" ? "BatchFlag=1" : "BatchFlag=0"))
        // A detached job runs to its end: in sbatch mode the daemon in the batch step starts
        // its driver (no step of the submitting command is left to hold it).
        let detached = try await fx.engine.exec(
            try fx.task("num_nodes: 2\nrun: echo detached-$SKYPILOT_NODE_RANK"), cluster: "mode",
            detach: true, output: fx.output)
        let id = try #require(detached.jobID)
        var final: JobStatus?
        for _ in 0..<150 {
            let queue = try await fx.engine.queue(["mode"], skipFinished: false, allUsers: true)
            final = queue.first?.jobs.first { $0.jobID == id }?.status
            if final?.isTerminal == true { break }
            try await _Concurrency.Task.sleep(for: .milliseconds(100))
        }
        #expect(final == .succeeded)
        let clusterFile =
            fx.root + "/.sky/slurm/clusters/\(nameOnCloud)/.sky/skylet/cluster.json"
        let spec = try JSONDecoder().decode(
            ClusterSpec.self, from: Data(contentsOf: URL(fileURLWithPath: clusterFile)))
        #expect((spec.daemonStartsDrivers ?? false) == (mode == "sbatch"))
        try await fx.engine.down("mode")
        #expect(try await SlurmLifecycleBed.squeue(nameOnCloud).isEmpty)
    }

    @Test func anUnknownAllocationModeIsRefusedBeforeSubmitting() async throws {
        let fx = try LifecycleFixture(tag: "slurmbadmode")
        try "slurm:\n  allocation: srun\n".write(
            toFile: fx.skyHome + "/config.yaml", atomically: true, encoding: .utf8)
        let error = await fx.refusal(
            "resources:\n  infra: slurm\nrun: echo never", cluster: "badmode",
            "slurm.allocation: srun was accepted")
        #expect(error.contains("slurm.allocation must be one of salloc, sbatch"))
        #expect(try await fx.record("badmode") == nil)
    }

    @Test func moreGPUsThanAnyNodeHasFailsFastWithSlurmsReason() async throws {
        let fx = try LifecycleFixture(tag: "slurmbig")
        let error = await fx.refusal(
            "resources:\n  infra: slurm\n  accelerators: fake:3\nrun: echo never",
            cluster: "big", "the nodes have 2 GPUs")
        #expect(error.contains("Requested node configuration is not available"))
        // ... and what the nodes have instead.
        #expect(
            error.contains(
                "Asked for gpu:fake:3 per node; the nodes of partition 'debug' have fake:2 at most"
            ), "\(error)")
        #expect(try await fx.record("big") == nil)
        // A type no node has: the same, naming the types there are.
        let untyped = await fx.refusal(
            "resources:\n  infra: slurm\n  accelerators: H100:1\nrun: echo never",
            cluster: "big", "the nodes have no H100s")
        #expect(untyped.contains("have fake:2 at most"), "\(untyped)")
    }

    @Test func protectedSbatchOptionIsRefusedBeforeSubmitting() async throws {
        let fx = try LifecycleFixture(tag: "slurmopt")
        let error = await fx.refusal(
            """
            resources:
              infra: slurm
            config:
              slurm:
                sbatch_options:
                  nodes: 3
            run: echo never
            """, cluster: "opt", "a protected sbatch option was accepted")
        #expect(error.contains("cannot set 'nodes'"))
        #expect(try await fx.record("opt") == nil)
    }

    /// Slurm runs steps on the nodes' own system (no Pyxis here): a task with a container
    /// image is refused before anything is submitted, not run outside its image.
    @Test func aContainerImageIsRefusedBeforeSubmitting() async throws {
        let fx = try LifecycleFixture(tag: "slurmimg")
        let error = await fx.refusal(
            "resources:\n  infra: slurm\n  image_id: docker:ubuntu:22.04\nrun: echo never",
            cluster: "img", "Slurm cannot run images")
        #expect(error.contains("cannot run tasks in an image"), "\(error)")
        #expect(try await fx.record("img") == nil)
        let names = try await ProcessExecution.run(
            ["squeue", "-h", "-o", "%j"], environment: SlurmLifecycleBed.env)
        #expect(!names.stdout.split(separator: "\n").contains { $0.hasPrefix("img-") })
    }

    @Test func gpusListShowsPartitionsWithFreeAndTotal() async throws {
        let fx = try LifecycleFixture(tag: "slurmgpus")
        let json = try await fx.engine.gpusListAny(
            SkyEngine.GPUListRequest(infra: "slurm", json: true))
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let fake = try #require(entries.first { $0["accelerator"] as? String == "fake" })
        #expect(fake["zone"] as? String == "debug")
        #expect(fake["total"] as? Int == 8)
        #expect(fake["requestable_qty_per_node"] as? [Int] == [1, 2])
        let free = try #require(fake["free"] as? Int)
        #expect(free >= 0 && free <= 8)
        let text = try await fx.engine.gpusListAny(SkyEngine.GPUListRequest(infra: "slurm"))
        #expect(text.contains("PARTITION"))
        #expect(text.contains("of 8 free"))
        let none = try await fx.engine.gpusListAny(
            SkyEngine.GPUListRequest(accelerator: "fake:4", infra: "slurm"))
        #expect(none.contains("No GPUs found"))
    }
}
