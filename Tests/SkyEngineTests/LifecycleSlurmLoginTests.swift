import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import SkySlurm
import SkyState
import Testing

@testable import SkyEngine

/// Sky outside the Slurm cluster: no SLURM_CONF in the engine's environment, only
/// `~/.slurm/config` naming the test bed's login node (its own namespace and sshd, user
/// skyslurm). Everything Slurm goes through `sky-slurm-agent` on the login node over ssh.
struct SlurmLoginFixture {
    let root: String
    let engine: SkyEngine
    let lines = LineBox()

    static let env = ProcessInfo.processInfo.environment
    static var loginConfig: String { env["SLURM_TESTBED_LOGIN_CONFIG"] ?? "" }
    static var alias: String { env["SLURM_TESTBED_LOGIN_HOST"] ?? "skytestbed" }
    static var agentPath: String { SkyEngine.slurmAgentPath(environment: env) }
    static var available: Bool {
        FileManager.default.fileExists(atPath: loginConfig)
            && FileManager.default.isExecutableFile(atPath: agentPath)
            && LifecycleFixture.skyletAvailable
    }

    init(tag: String) throws {
        root = "/tmp/sky-lifecycle-\(tag)-\(UUID().uuidString.prefix(6))"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/sky", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/.slurm", withIntermediateDirectories: true)
        try fm.copyItem(atPath: Self.loginConfig, toPath: root + "/.slurm/config")
        var env = Self.env
        env["SLURM_CONF"] = nil
        env["HOME"] = root
        env["SKY_HOME"] = root + "/sky"
        env["USER"] = "tester"
        env["SKY_SLURM_AGENT_BINARY"] = Self.agentPath
        // The first check installs the agent on the login node (a copy over ssh): more than
        // the default 10 s when the whole suite loads the machine.
        env["SKY_CHECK_TIMEOUT"] = "120"
        env.removeValue(forKey: "SKY_ENABLED_CLOUDS")
        engine = SkyEngine(home: root + "/sky", environment: env)
        let fixture = self
        try FixtureScope.defer("SlurmLoginFixture") { await fixture.cleanUp() }
    }

    func task(_ yaml: String) throws -> Task {
        guard
            case .task(let task) = try TaskLoader.load(
                yaml: yaml, fileName: "task.yaml", baseDirectory: root, overrides: TaskOverrides())
        else { throw EngineError.invalidArgument("not a single task") }
        return task
    }

    var output: LaunchOutput {
        let lines = self.lines
        return LaunchOutput(progress: { _ in }, log: { line in lines.append(line) })
    }

    func launch(_ yaml: String, cluster: String) async throws -> LaunchResult {
        var options = LaunchOptions(clusterName: cluster)
        options.retryDelay = .milliseconds(100)
        return try await engine.launch(try task(yaml), options: options, output: output)
    }

    func cleanUp() async {
        let store = SQLiteStateStore(home: root + "/sky")
        for record in (try? await store.clusters()) ?? [] {
            try? await engine.down(record.name, purge: true)
        }
        if let login = await engine.backends().registry.provisioner(named: "slurm")
            as? SlurmLoginProvisioner
        {
            await login.closeConnections()
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}

@Suite(
    .fixtureScope, .serialized, .timeLimit(.minutes(5)),
    .enabled(
        if: SlurmLoginFixture.available,
        "No Slurm login node or agent: Tests/testbed/slurm.sh up; eval \"$(Tests/testbed/slurm.sh env)\"; build sky-slurm-agent and skylet"
    ))
struct LifecycleSlurmLoginTests {
    @Test func launchExecStatusGpusAndDownThroughTheLoginNode() async throws {
        let fx = try SlurmLoginFixture(tag: "slurmlogin")
        let backends = await fx.engine.backends()
        #expect(await backends.registry.provisioner(named: "slurm") is SlurmLoginProvisioner)

        // sky check slurm: the login node's agent answers with the cluster and partitions.
        let outcomes = try await fx.engine.check(infra: ["slurm"])
        let slurm = try #require(outcomes.first { $0.backend == "slurm" })
        #expect(slurm.isEnabled, "\(slurm.reason ?? "")")
        #expect(
            slurm.tree.contains { $0.contains(SlurmLoginFixture.alias) }
                || (slurm.reason ?? "").contains(SlurmLoginFixture.alias))

        let result = try await fx.launch(
            """
            resources:
              infra: slurm
              accelerators: fake:1
            num_nodes: 2
            run: echo "rank=$SKYPILOT_NODE_RANK user=$(id -un) cvd=$CUDA_VISIBLE_DEVICES host=$(hostname)"
            """, cluster: "lg2")
        #expect(result.jobStatus == .succeeded)
        let ranks = fx.lines.take().filter { $0.contains("rank=") }
        #expect(ranks.count == 2, "\(ranks)")
        // The job ran as the login node's user, on two compute nodes, one GPU each.
        #expect(ranks.allSatisfy { $0.contains("user=skyslurm") && $0.contains("host=node") })
        #expect(ranks.allSatisfy { $0.contains("cvd=0") || $0.contains("cvd=1") })
        #expect(Set(ranks.compactMap { $0.components(separatedBy: "host=").last }).count == 2)

        let record = try #require(
            try await SQLiteStateStore(home: fx.root + "/sky").cluster(named: "lg2"))
        let nameOnCloud = try #require(record.clusterNameOnCloud)
        let jobs = try await SlurmLifecycleBed.squeue(nameOnCloud)
        #expect(jobs.count == 1 && jobs.first?.hasSuffix("RUNNING") == true, "\(jobs)")

        let exec = try await fx.engine.exec(
            try fx.task("run: echo exec-on-$SKYPILOT_NODE_RANK"), cluster: "lg2", detach: false,
            output: fx.output)
        #expect(exec.jobStatus == .succeeded)
        #expect(fx.lines.take().contains { $0.contains("exec-on-0") })

        // `ssh lg2-worker1` from outside the cluster: over ssh to the login node, then the
        // node's sshd as a step of the allocation, as the login node's user.
        let ssh = try await ProcessExecution.run(
            [
                "ssh", "-F", fx.root + "/.ssh/config", "-o", "BatchMode=yes", "lg2-worker1",
                "echo \"$(id -un)@$(hostname) home=$HOME\"",
            ], environment: SlurmLoginFixture.env)
        #expect(ssh.exitCode == 0, "\(ssh.stderr)")
        #expect(ssh.stdout.hasPrefix("skyslurm@node"), "\(ssh.stdout)")
        #expect(ssh.stdout.contains("/.sky/slurm/clusters/\(nameOnCloud)"), "\(ssh.stdout)")

        let refreshed = try await fx.engine.status(["lg2"], refresh: true)
        #expect(refreshed.first?.status == .up)

        let json = try await fx.engine.gpusListAny(
            SkyEngine.GPUListRequest(infra: "slurm", json: true))
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let fake = try #require(entries.first { $0["accelerator"] as? String == "fake" })
        #expect(fake["total"] as? Int == 8)

        try await fx.engine.down("lg2")
        #expect(try await SlurmLifecycleBed.squeue(nameOnCloud).isEmpty)
        #expect(try await SlurmLifecycleBed.activeJobs(nameOnCloud).isEmpty)
        #expect(try await SQLiteStateStore(home: fx.root + "/sky").cluster(named: "lg2") == nil)
    }
}
