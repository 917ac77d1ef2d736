import CSlurm
import SkyCore
import SkyProvision
import Testing

@testable import SkySlurm

@Suite("Slurm backend: pure parts")
struct SlurmUnitTests {
    /// A cluster remembers which way it was launched (its info's keys): the other way refuses
    /// it before any Slurm call rather than finding no job and letting `down` drop the record.
    @Test func eachPathRefusesClustersLaunchedTheOtherWay() async throws {
        let throughLogin = ClusterLocator(
            clusterName: "c", clusterNameOnCloud: "c-1", region: "alias",
            providerConfig: [
                SlurmProvisioner.jobIDKey: "7", SlurmLoginProvisioner.loginHostKey: "alias",
            ])
        let direct = ClusterLocator(
            clusterName: "d", clusterNameOnCloud: "d-1", region: "skytestbed",
            providerConfig: [SlurmProvisioner.jobIDKey: "8"])
        let local = SlurmProvisioner(environment: ["SLURM_CONF": "/nonexistent/slurm.conf"])
        do {
            try await local.terminateInstances(throughLogin, workerOnly: false)
            Issue.record("the direct path accepted a cluster launched through a login node")
        } catch {
            #expect("\(error)".contains("launched through the login node 'alias'"))
        }
        let login = SlurmLoginProvisioner(
            hostsFile: "/nonexistent/config", configFile: SlurmConfigFile(path: nil),
            controlDirectory: "/tmp", agent: SlurmBinarySource(locate: { "" }, sha256: { _ in "" }),
            skylet: nil, environment: [:])
        do {
            _ = try await login.queryInstances(direct)
            Issue.record("the login path accepted a cluster launched with a slurm.conf")
        } catch {
            #expect("\(error)".contains("talks to slurmctld directly"))
        }
        // The agent gets the locator without this side's keys.
        let sent = try login.agentLocator(throughLogin)
        #expect(sent["providerConfig"]?[SlurmLoginProvisioner.loginHostKey] == nil)
        #expect(sent["providerConfig"]?[SlurmProvisioner.jobIDKey]?.stringValue == "7")
    }

    /// Without `slurm.allocation`, a cluster that ends a step's processes with the step
    /// (cgroup tracking) gets a batch job whose script holds the skylet daemon.
    @Test func allocationModeFollowsProcessTracking() throws {
        #expect(SlurmAllocationMode.automatic(proctrackType: "proctrack/cgroup") == .sbatch)
        #expect(SlurmAllocationMode.automatic(proctrackType: "proctrack/linuxproc") == .salloc)
        #expect(SlurmAllocationMode.automatic(proctrackType: "proctrack/pgid") == .salloc)
        #expect(try SlurmSettings(config: nil).allocation == nil)
        let chosen = try SlurmSettings(config: .object([("allocation", .string("sbatch"))]))
        #expect(chosen.allocation == .sbatch)
        #expect(throws: SlurmError.self) {
            try SlurmSettings(config: .object([("allocation", .string("srun"))]))
        }
    }

    /// Why a job waits, as the launch says it: a batch job not yet scheduled has no reason.
    @Test func pendingText() {
        var job = SlurmJob(
            id: 7, name: "c", userID: 0, partition: "debug", state: .pending,
            stateText: "PENDING", reason: "None", reasonDetail: nil, nodeList: nil, nodes: [],
            numNodes: 1, timeLimitMinutes: nil, tresPerNode: nil, exitCode: 0, completing: false)
        #expect(SlurmProvisioner.pendingText(job) == "waiting for slurmctld's next scheduling pass")
        job.reason = "Resources"
        #expect(SlurmProvisioner.pendingText(job) == "reason Resources")
        job.reason = "None"
        job.state = .failed
        #expect(SlurmProvisioner.pendingText(job) == "reason None")
    }

    @Test func timeLimits() {
        #expect(SlurmTimeLimit.minutes("30") == 30)
        #expect(SlurmTimeLimit.minutes("1:30") == 2)
        #expect(SlurmTimeLimit.minutes("2:00:00") == 120)
        #expect(SlurmTimeLimit.minutes("1-0") == 1440)
        #expect(SlurmTimeLimit.minutes("1-02:30") == 1590)
        #expect(SlurmTimeLimit.minutes("UNLIMITED") == UInt32(INFINITE))
        #expect(SlurmTimeLimit.minutes("soon") == nil)
        #expect(SlurmTimeLimit.minutes("1:2:3:4") == nil)
    }

    @Test func sbatchOptionsRefuseProtectedAndUnknownKeys() throws {
        #expect(throws: SlurmError.self) {
            try SlurmSbatchOptions(json: .object([("nodes", .int(3))]))
        }
        #expect(throws: SlurmError.self) {
            try SlurmSbatchOptions(json: .object([("--gres", .string("gpu:8"))]))
        }
        #expect(throws: SlurmError.self) {
            try SlurmSbatchOptions(json: .object([("mail-user", .string("a@b"))]))
        }
        #expect(throws: SlurmError.self) {
            try SlurmSbatchOptions(json: .object([("comment", .string("a\nb"))]))
        }
        let options = try SlurmSbatchOptions(
            json: .object([
                ("--time", .string("1:00:00")), ("qos", .string("high")),
                ("exclusive", .bool(true)),
            ]))
        var request = SlurmJobRequest(
            name: "n", script: "#!/bin/sh\n", workDir: "/tmp", environment: ["A": "1"])
        try options.apply(to: &request)
        #expect(request.timeLimitMinutes == 60)
        #expect(request.qos == "high")
        #expect(request.exclusive)
    }

    @Test func taskOptionsLayerOverGlobalOnes() throws {
        let settings = try SlurmSettings(
            config: .object([
                ("sbatch_options", .object([("time", .int(30)), ("qos", .string("low"))])),
                (
                    "pricing",
                    .object([("cpu", .double(0.5)), ("accelerators", .object([("A100", .int(2))]))])
                ),
            ]))
        let task = SlurmSettings.providerConfig(
            taskConfig: .object([
                ("slurm", .object([("sbatch_options", .object([("time", .int(5))]))]))
            ]))
        let merged = try settings.sbatchOptions(providerConfig: task)
        var request = SlurmJobRequest(
            name: "n", script: "#!/bin/sh\n", workDir: "/tmp", environment: ["A": "1"])
        try merged.apply(to: &request)
        #expect(request.timeLimitMinutes == 5)
        #expect(request.qos == "low")
        #expect(settings.pricing.price(cpus: 4, memoryGB: 8, accelerator: nil, count: 0) == 2)
        #expect(settings.pricing.price(cpus: 4, memoryGB: 8, accelerator: "a100", count: 2) == 4)
    }

    @Test func versionCheckRefusesAnotherAPI() {
        #expect(throws: Never.self) {
            try SlurmVersion(headerVersion: 0x160508, libraryAPI: 0x260000).verify()
        }
        #expect(throws: SlurmError.self) {
            try SlurmVersion(headerVersion: 0x160508, libraryAPI: 0x270000).verify()
        }
        let message = SlurmError.versionMismatch(headers: "22.05.08 (API 38)", library: "API 39")
            .description
        #expect(message.contains("22.05.08") && message.contains("API 39"))
    }

    @Test func errnoCodesBecomeProvisionErrors() {
        func code(_ e: slurm_err_t) -> SlurmError {
            .call(function: "f", code: Int32(e.rawValue), message: "m")
        }
        #expect(code(ESLURM_REQUESTED_NODE_CONFIG_UNAVAILABLE).provisionError.code == "capacity")
        #expect(code(ESLURM_ACCESS_DENIED).provisionError.code == "credentials")
        #expect(
            code(SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR).provisionError.code == "credentials")
        #expect(code(ESLURM_INVALID_JOB_ID).provisionError.code == "notFound")
        #expect(code(ESLURM_ACCOUNTING_POLICY).provisionError.code == "quota")
        #expect(code(ESLURM_INVALID_QOS).provisionError.code == "invalidConfig")
        #expect(SlurmError.configNotFound(path: "/x").provisionError.code == "credentials")
    }

    @Test func missingConfigFailsWithoutTouchingLibslurm() {
        #expect(throws: SlurmError.configNotFound(path: "/nonexistent/slurm.conf")) {
            try SlurmClient(environment: ["SLURM_CONF": "/nonexistent/slurm.conf"])
        }
    }

    @Test func gresStringsForOfferings() {
        let typed = Offering(
            cloud: "slurm", region: "c", instanceType: "x", cpus: 1, memoryGB: 0,
            acceleratorName: "fake", acceleratorCount: 2, price: 0)
        #expect(SlurmProvisioner.gres(typed) == "gpu:fake:2")
        var untyped = typed
        untyped.acceleratorName = SlurmInventory.untypedGPU
        #expect(SlurmProvisioner.gres(untyped) == "gpu:2")
        untyped.acceleratorCount = 0
        #expect(SlurmProvisioner.gres(untyped) == nil)
    }
}
