import CSlurm
import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import Testing

@testable import SkySlurm

@Suite(
    "Slurm backend on the test bed", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: SlurmTestbed.enabled, SlurmTestbed.skipReason))
struct SlurmTestbedTests {
    @Test func libraryMatchesHeaders() throws {
        let client = try SlurmClient(environment: SlurmTestbed.environment)
        #expect(client.version.headerVersion == Int(SLURM_VERSION_NUMBER))
        #expect(client.version.expectedAPI == client.version.libraryAPINumber)
        #expect(client.version.libraryAPINumber == 38)
    }

    @Test func inventoryShowsNodesGPUsAndPartition() async throws {
        let provisioner = SlurmTestbed.provisioner()
        let inventory = try await provisioner.inventory()
        #expect(inventory.clusterName == "skytestbed")
        #expect(inventory.defaultPartition?.name == "debug")
        #expect(inventory.nodes.map(\.name).sorted() == ["node1", "node2", "node3", "node4"])
        for node in inventory.nodes {
            #expect(node.cpus == 2)
            #expect(node.memoryMB == 1024)
            #expect(node.address.hasPrefix("10.77.0.10"))
            #expect(SlurmInventory.gpus(node, type: "fake").total == 2)
        }
        let gpus = inventory.gpuSummary
        #expect(gpus.map(\.type) == ["fake"])
        #expect(gpus.first?.total == 8 && gpus.first?.perNode == 2)

        let offerings = try await provisioner.offerings(
            for: Resources(cloud: "slurm", accelerator: .init(name: "FAKE", count: 2)))
        #expect(offerings.count == 1)
        #expect(offerings.first?.zone == "debug")
        #expect(offerings.first?.region == "skytestbed")
        #expect(offerings.first?.acceleratorName == "fake")
        #expect(offerings.first?.cpus == 2)  // 4 by default with GPUs, capped by the node
        // No node holds 3: offered only when the task names slurm, so the launch fails fast
        // with Slurm's own reason; never picked for a task that does not.
        #expect(
            try await provisioner.offerings(
                for: Resources(accelerator: .init(name: "fake", count: 3))
            ).isEmpty)
        let impossible = try await provisioner.offerings(
            for: Resources(cloud: "slurm", accelerator: .init(name: "fake", count: 3)))
        #expect(impossible.map(\.acceleratorCount) == [3])
        #expect(impossible.first?.available == nil)
        #expect(
            try await provisioner.offerings(
                for: Resources(accelerator: .init(name: "A100", count: 1))
            ).isEmpty)
        #expect(try await provisioner.offerings(for: Resources(cloud: "aws")).isEmpty)
        #expect(offerings.first?.price == 0)  // free unless slurm.pricing says otherwise
    }

    @Test func offeringsArePricedFromConfigOrAPriceFunction() async throws {
        let settings = try SlurmSettings(
            config: .object([
                (
                    "pricing",
                    .object([
                        ("cpu", .double(0.25)), ("accelerators", .object([("fake", .double(1.5))])),
                    ])
                )
            ]))
        let configured = SlurmProvisioner(settings: settings, environment: SlurmTestbed.environment)
        let gpu = try await configured.offerings(
            for: Resources(
                cloud: "slurm", cpus: .init(1), accelerator: .init(name: "fake", count: 2)))
        #expect(gpu.first?.price == 3)
        let cpu = try await configured.offerings(for: Resources(cloud: "slurm", cpus: .init(2)))
        #expect(cpu.first?.price == 0.5)
        let custom = SlurmProvisioner(
            environment: SlurmTestbed.environment,
            price: { region, zone, cpus, _, _, _ in
                region == "skytestbed" && zone == "debug" ? cpus * 7 : -1
            })
        let priced = try await custom.offerings(for: Resources(cloud: "slurm", cpus: .init(2)))
        #expect(priced.first?.price == 14)
    }

    @Test func checkReportsClusterAndPartitions() async {
        let check = await SlurmCheck.run(SlurmTestbed.provisioner())
        #expect(check.ok)
        #expect(check.partitions == ["debug*"])
        #expect(check.clusterName == "skytestbed")
        #expect(check.summary.contains("API 38"))
        let credential = await SlurmTestbed.provisioner().checkCredentials()
        #expect(credential.enabled)
        let lines = credential.reason?.split(separator: "\n").map(String.init) ?? []
        #expect(lines.count == 2)
        #expect(lines.last?.hasPrefix("skytestbed: enabled.") == true)
        #expect(lines.last?.contains("partitions: debug*") == true)
        let broken = SlurmProvisioner(environment: ["SLURM_CONF": "/nonexistent/slurm.conf"])
        let disabled = await broken.checkCredentials()
        #expect(!disabled.enabled)
        #expect(disabled.reason?.contains("/nonexistent/slurm.conf") == true)
    }

    /// Launch → RUNNING → nodes → a command on every node → down, for `count` nodes.
    private func launchRunDown(count: Int, gpus: Double) async throws {
        let provisioner = SlurmTestbed.provisioner()
        let names = SlurmTestbed.clusterName("n\(count)g\(Int(gpus))")
        var resources = Resources(cloud: "slurm", cpus: .init(1))
        if gpus > 0 { resources.accelerator = .init(name: "fake", count: gpus) }
        let offering = try #require(try await provisioner.offerings(for: resources).first)
        let config = SlurmTestbed.config(
            names, region: offering.region, offering: offering, count: count)
        let locator = ClusterLocator(config)
        do {
            let record = try await provisioner.runInstances(config)
            #expect(record.changedAnything)
            #expect(record.provider == "slurm" && record.zone == "debug")
            try await provisioner.waitInstances(locator, state: .up)
            let again = try await provisioner.runInstances(config)  // idempotent: reuses the job
            #expect(!again.changedAnything)

            let states = try await provisioner.queryInstances(locator)
            #expect(states.count == count)
            #expect(states.allSatisfy { $0.status == .up })
            let info = try await provisioner.clusterInfo(locator)
            #expect(info.instances.count == count)
            #expect(info.zone == "debug")
            let jobID = try #require(
                info.providerConfig[SlurmProvisioner.jobIDKey].flatMap(UInt32.init))
            let job = try #require(try await provisioner.client().job(id: jobID))
            #expect(job.name == names.1)
            #expect(job.timeLimitMinutes == nil)  // partition MaxTime is INFINITE
            if gpus > 0 { #expect(job.tresPerNode == "gres:gpu:fake:\(Int(gpus))") }

            // The live inventory sees the allocation (CPUs and GPUs in use on its nodes).
            let inventory = try await provisioner.inventory()
            for instance in info.instances {
                let node = try #require(inventory.nodes.first { $0.name == instance.nodeName })
                #expect(node.allocatedCPUs >= 1)
                #expect(node.freeCPUs <= 1)
                if gpus > 0 {
                    #expect(SlurmInventory.gpus(node, type: "fake").free <= 2 - Int(gpus))
                }
            }

            let runners = provisioner.commandRunners(for: info)
            #expect(runners.count == count)
            for (instance, runner) in zip(info.instances, runners) {
                #expect(instance.internalIP.hasPrefix("10.77.0.10"))
                let result = try await runner.run(
                    ["sh", "-c", "hostname; echo \"cvd=${CUDA_VISIBLE_DEVICES-none} x=$SKY_X\""],
                    stdin: nil, environment: ["SKY_X": "it's here"])
                #expect(result.exitCode == 0, "\(result.stderr)")
                let lines = result.stdout.split(separator: "\n").map(String.init)
                #expect(lines.first == instance.nodeName)
                let cvd = gpus > 0 ? (gpus == 1 ? "0" : "0,1") : "none"
                #expect(lines.last == "cvd=\(cvd) x=it's here")
            }
            // A daemon that leaves its step (what skylet does) must not outlive the cluster.
            let marker = "\(90_000 + Int.random(in: 0..<9_999))"
            let daemon = try await runners[runners.count - 1].run(
                ["sh", "-c", "setsid sleep \(marker) </dev/null >/dev/null 2>&1 & echo started"],
                stdin: nil, environment: [:])
            #expect(daemon.stdout == "started\n")
            #expect(try await Self.processes(matching: "sleep \(marker)") > 0)
            try await provisioner.terminateInstances(locator, workerOnly: false)
            #expect(try await Self.processes(matching: "sleep \(marker)") == 0)
        } catch {
            try? await provisioner.terminateInstances(locator, workerOnly: false)
            throw error
        }
        try await provisioner.terminateInstances(locator, workerOnly: false)  // idempotent
        #expect(try await provisioner.queryInstances(locator).isEmpty)
        #expect(try await provisioner.client().activeJobs(named: names.1).isEmpty)
        #expect(try await SlurmTestbed.squeue(names.1).isEmpty)
    }

    /// Processes of this machine (the test bed's nodes share it) whose command line matches.
    static func processes(matching pattern: String) async throws -> Int {
        let result = try await ProcessExecution.run(["pgrep", "-f", "-x", pattern])
        return result.stdout.split(separator: "\n").count
    }

    @Test func oneNodeWithoutGPUs() async throws {
        try await launchRunDown(count: 1, gpus: 0)
    }

    @Test func twoNodesWithOneGPUEach() async throws {
        try await launchRunDown(count: 2, gpus: 1)
    }

    @Test func twoNodesWithoutGPUs() async throws {
        try await launchRunDown(count: 2, gpus: 0)
    }

    @Test func oneNodeWithTwoGPUs() async throws {
        try await launchRunDown(count: 1, gpus: 2)
    }

    @Test func moreGPUsThanANodeHasFailsFastWithSlurmsReason() async throws {
        let provisioner = SlurmTestbed.provisioner()
        let names = SlurmTestbed.clusterName("gpu3")
        let offering = Offering(
            cloud: "slurm", region: "skytestbed", zone: "debug", instanceType: "1CPU--fake:3",
            cpus: 1, memoryGB: 0, acceleratorName: "fake", acceleratorCount: 3, price: 0)
        let config = SlurmTestbed.config(names, region: "skytestbed", offering: offering, count: 1)
        let error = await #expect(throws: ProvisionError.self) {
            try await provisioner.runInstances(config)
        }
        #expect(error?.code == "capacity")
        #expect(error?.message.contains("Requested node configuration is not available") == true)
        #expect(try await SlurmTestbed.squeue(names.1).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: provisioner.clusterHome(names.1)))
    }

    @Test func sbatchTimeOptionWinsOverPartitionMaxTime() async throws {
        let provisioner = SlurmTestbed.provisioner()
        let names = SlurmTestbed.clusterName("time")
        let offering = try #require(
            try await provisioner.offerings(for: Resources(cloud: "slurm", cpus: .init(1))).first)
        let config = SlurmTestbed.config(
            names, region: offering.region, offering: offering, count: 1,
            providerConfig: SlurmSettings.providerConfig(
                taskConfig: .object([
                    (
                        "slurm",
                        .object([("sbatch_options", .object([("time", .string("0:10:00"))]))])
                    )
                ])))
        let locator = ClusterLocator(config)
        _ = try await provisioner.runInstances(config)
        let jobs = try await provisioner.client().activeJobs(named: names.1)
        try await provisioner.terminateInstances(locator, workerOnly: false)
        #expect(jobs.first?.timeLimitMinutes == 10)
        #expect(try await SlurmTestbed.squeue(names.1).isEmpty)
    }
}

/// In the same serialized suite: the test bed has 4 nodes of 2 CPUs, and these tests hold
/// whole nodes.
extension SlurmTestbedTests {
    /// A job that cannot start before the provision timeout fails over with Slurm's reason.
    @Test func pendingAllocationTimesOutWithReason() async throws {
        let holder = SlurmTestbed.provisioner(
            options: SlurmSbatchOptions(values: ["nodelist": "node4", "exclusive": nil]))
        let waiter = SlurmTestbed.provisioner(
            timeout: 2, options: SlurmSbatchOptions(values: ["nodelist": "node4"]))
        let offering = try #require(
            try await holder.offerings(for: Resources(cloud: "slurm", cpus: .init(1))).first)
        let first = SlurmTestbed.config(
            SlurmTestbed.clusterName("hold"), region: offering.region, offering: offering, count: 1)
        let second = SlurmTestbed.config(
            SlurmTestbed.clusterName("wait"), region: offering.region, offering: offering, count: 1)
        var error: ProvisionError?
        let progress = Lines()
        do {
            _ = try await holder.runInstances(first)
            try await holder.waitInstances(ClusterLocator(first), state: .up)
            _ = try await waiter.runInstances(second)
            let states = try await waiter.queryInstances(ClusterLocator(second))
            #expect(states.first?.status == .initializing)
            #expect(states.first?.reason?.contains("PENDING") == true)
            error = await #expect(throws: ProvisionError.self) {
                try await ProvisionProgress.$current.withValue(
                    ProvisionProgress { progress.append($0) }
                ) {
                    try await waiter.waitInstances(ClusterLocator(second), state: .up)
                }
            }
        } catch {
            try? await waiter.terminateInstances(ClusterLocator(second), workerOnly: false)
            try? await holder.terminateInstances(ClusterLocator(first), workerOnly: false)
            throw error
        }
        #expect(error?.code == "capacity")
        #expect(error?.message.contains("PENDING") == true)
        #expect(
            error?.message.contains("reason Resources") == true
                || error?.message.contains("reason Priority") == true)
        // Past its first second the wait says why it waits.
        let said = progress.all
        #expect(
            said.contains {
                $0.contains("is PENDING (reason Resources")
                    || $0.contains("is PENDING (reason Priority")
            }, "\(said)")
        try await waiter.terminateInstances(ClusterLocator(second), workerOnly: false)
        try await holder.terminateInstances(ClusterLocator(first), workerOnly: false)
        #expect(try await SlurmTestbed.squeue(second.clusterNameOnCloud).isEmpty)
        #expect(try await SlurmTestbed.squeue(first.clusterNameOnCloud).isEmpty)
    }

    @Test func uploadAndDownloadThroughSteps() async throws {
        let provisioner = SlurmTestbed.provisioner()
        let offering = try #require(
            try await provisioner.offerings(for: Resources(cloud: "slurm", cpus: .init(1))).first)
        let config = SlurmTestbed.config(
            SlurmTestbed.clusterName("copy"), region: offering.region, offering: offering, count: 2)
        let locator = ClusterLocator(config)
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("h8-copy-\(UInt32.random(in: 0..<UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(
            atPath: scratch + "/src", withIntermediateDirectories: true)
        try "payload\n".write(toFile: scratch + "/src/a.txt", atomically: true, encoding: .utf8)
        do {
            _ = try await provisioner.runInstances(config)
            try await provisioner.waitInstances(locator, state: .up)
            let info = try await provisioner.clusterInfo(locator)
            let worker = try #require(provisioner.commandRunners(for: info).last)
            try await worker.upload(scratch + "/src/", to: scratch + "/remote/", filters: [])
            let read = try await worker.run(
                ["sh", "-c", "hostname; cat \"$1\"", "sh", scratch + "/remote/a.txt"], stdin: nil,
                environment: [:])
            #expect(read.stdout == "\(info.instances[1].nodeName ?? "")\npayload\n")
            try await worker.download(scratch + "/remote/a.txt", to: scratch + "/back/a.txt")
            #expect(
                try String(contentsOfFile: scratch + "/back/a.txt", encoding: .utf8) == "payload\n")
            let piped = try await worker.run(
                ["cat"], stdin: Data("via stdin".utf8), environment: [:])
            #expect(piped.stdout == "via stdin")
        } catch {
            try? await provisioner.terminateInstances(locator, workerOnly: false)
            throw error
        }
        try await provisioner.terminateInstances(locator, workerOnly: false)
        #expect(try await SlurmTestbed.squeue(config.clusterNameOnCloud).isEmpty)
    }
}
