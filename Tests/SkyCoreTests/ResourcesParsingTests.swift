import Foundation
import SkyCore
import Testing

struct ResourcesParsingTests {
    @Test func infraForms() throws {
        let aws = try single("resources:\n  infra: AWS/us-east-1/us-east-1a\n").resources[0]
        #expect(aws.cloud == "aws")
        #expect(aws.region == "us-east-1")
        #expect(aws.zone == "us-east-1a")
        let k8s = try single("resources:\n  infra: k8s/arn:aws:eks:us-east-1:1:cluster/my\n")
            .resources[0]
        #expect(k8s.cloud == "kubernetes")
        #expect(k8s.region == "arn:aws:eks:us-east-1:1:cluster/my")
        let ssh = try single("resources:\n  infra: ssh/lab\n").resources[0]
        #expect(ssh.cloud == "ssh")
        #expect(ssh.region == "ssh-lab")
        #expect(ssh.yamlConfig()["infra"] == .string("ssh/lab"))
        let slurm = try single("resources:\n  infra: slurm/hpc/gpu\n").resources[0]
        #expect(slurm.region == "hpc")
        #expect(slurm.zone == "gpu")
        let wildcard = try single("resources:\n  infra: '*/us-west-2'\n").resources[0]
        #expect(wildcard.cloud == nil)
        #expect(wildcard.yamlConfig()["infra"] == .string("*/us-west-2"))
        #expect(loadError("resources:\n  infra: aws//x\n") != nil)
        #expect(loadError("resources:\n  infra: aws\n  region: us-east-1\n") != nil)
        #expect(loadError("resources:\n  infra: nocloud\n") != nil)
    }

    @Test func quantities() throws {
        let r = try single("resources:\n  cpus: 4+\n  memory: 32GB\n  disk_size: 1TB\n").resources[
            0]
        #expect(r.cpus == Resources.Quantity(4, orMore: true))
        #expect(r.cpusText == "4+")
        #expect(r.memoryText == "32.0")
        #expect(r.memory == Resources.Quantity(32))
        #expect(r.diskSize == 1024)
        #expect(try single("resources:\n  memory: 32\n").resources[0].memoryText == "32")
        #expect(try single("resources:\n  disk_size: 256\n").resources[0].diskSize == nil)
        #expect(loadError("resources:\n  memory: 0\n") != nil)
        #expect(
            try single("resources:\n  infra: slurm\n  memory: 0\n").resources[0].memoryText == "0")
        #expect(loadError("resources:\n  cpus: -1\n") != nil)
    }

    @Test func acceleratorForms() throws {
        let one = try single("resources:\n  accelerators: V100:0.5\n").resources
        #expect(one.count == 1)
        #expect(one[0].accelerator == Resources.Accelerator(name: "V100", count: 0.5))
        let list = try single("resources:\n  accelerators: [A100:8, V100:8]\n")
        #expect(list.resources.map { $0.accelerator?.name } == ["A100", "V100"])
        #expect(list.resourcesOrdered)
        let set = try single("resources:\n  accelerators: {A100: 1, H100: 1}\n")
        #expect(Set(set.resources.compactMap { $0.accelerator?.name }) == ["A100", "H100"])
        #expect(!set.resourcesOrdered)
        let byMemory = try single("resources:\n  accelerators: 80GB+\n")
        #expect(byMemory.resources.count > 5)
        #expect(byMemory.resources.allSatisfy { $0.noMissingAccelWarnings == true })
        #expect(loadError("resources:\n  accelerators: A100:1:2\n") != nil)
        #expect(loadError("resources:\n  accelerators: A100\n  gpus: A100\n") != nil)
        let tpu = try single("resources:\n  accelerators: tpu-v3-8\n").resources[0]
        #expect(tpu.cloud == "gcp")
        #expect(tpu.acceleratorArgs?["runtime_version"] == .string("tpu-vm-base"))
    }

    @Test func anyOfMergesBaseAndCandidates() throws {
        let task = try single(
            """
            resources:
              cpus: 4
              labels: {team: ml}
              any_of:
                - infra: aws
                  labels: {env: a}
                - infra: gcp
                  cpus: 8
            """)
        #expect(task.resources.count == 2)
        let aws = try #require(task.resources.first { $0.cloud == "aws" })
        let gcp = try #require(task.resources.first { $0.cloud == "gcp" })
        #expect(aws.cpusText == "4")
        #expect(gcp.cpusText == "8")
        #expect(aws.labels == ["team": "ml", "env": "a"])
        // Documented semantics: each candidate merges its own labels (SkyPilot 0.14.1 shares one
        // dict between candidates, so its gcp candidate would also carry env: a).
        #expect(gcp.labels == ["team": "ml"])
        #expect(
            loadError("resources:\n  any_of: [{infra: aws}]\n  ordered: [{infra: gcp}]\n") != nil)
    }

    @Test func portsMergeIntoRanges() throws {
        let r = try single("resources:\n  ports: [8080, '1-2', '3', '5-6,7', 10000]\n").resources[0]
        #expect(r.ports == ["1-3", "5-7", "8080", "10000"])
        #expect(loadError("resources:\n  ports: 70000\n") != nil)
    }

    @Test func autostopAndImageForms() throws {
        #expect(
            try single("resources:\n  autostop: true\n").resources[0].autostop?.idleMinutes == 0)
        #expect(
            try single("resources:\n  autostop: 2h\n").resources[0].autostop?.idleMinutes == 120)
        let dict = try single(
            "resources:\n  autostop: {idle_minutes: 10, down: true, wait_for: JOBS}\n"
        ).resources[0]
        #expect(
            dict.autostop
                == {
                    var a = Resources.Autostop(idleMinutes: 10, down: true, waitFor: "jobs")
                    a.waitForSpecified = true
                    return a
                }())
        #expect(try single("resources:\n  autostop: false\n").resources[0].autostopDisabled)
        let k8s = try single("resources:\n  infra: k8s\n  image_id: ubuntu:22.04\n").resources[0]
        #expect(k8s.imageID == [nil: "docker:ubuntu:22.04"])
        let mixed = try single("resources:\n  image_id: {us-east-1: ami-1, docker: 'docker:img'}\n")
            .resources[0]
        #expect(mixed.imageID == ["us-east-1": "ami-1"])
        #expect(mixed.dockerImage == "img")
    }

    @Test func jobRecoveryAndLocalDisk() throws {
        let r = try single(
            "resources:\n  job_recovery: {max_restarts_on_errors: 3}\n  local_disk: ssd\n"
        ).resources[0]
        #expect(r.jobRecovery?["strategy"] == .null)
        #expect(r.jobRecovery?["max_restarts_on_errors"] == .int(3))
        #expect(r.localDisk == "ssd:100+")
        #expect(
            try single("resources:\n  job_recovery: failover\n").resources[0].jobRecovery?[
                "strategy"] == .string("FAILOVER"))
        #expect(try single("resources:\n  job_recovery: none\n").resources[0].jobRecovery == nil)
    }
}

struct TaskOptionTests {
    @Test func optionsOverrideTheYAML() throws {
        let yaml =
            "name: t\nresources:\n  cpus: 4\n  local_disk: nvme\n  infra: aws/us-east-1\nnum_nodes: 2\n"
        let task = try single(
            yaml,
            TaskOverrides(
                name: "renamed", infra: "gcp", cpus: "8+", gpus: "L4:1", useSpot: true, numNodes: 3,
                localDisk: "none"))
        let r = task.resources[0]
        #expect(task.name == "renamed")
        #expect(task.numNodes == 3)
        #expect(r.cloud == "gcp")
        #expect(r.region == nil)
        #expect(r.cpusText == "8+")
        #expect(r.accelerator == Resources.Accelerator(name: "L4", count: 1))
        #expect(r.useSpot && r.useSpotSpecified)
        #expect(r.localDisk == nil)
        #expect(loadError(yaml, TaskOverrides(cloud: "notacloud")) != nil)
    }

    @Test func inlineCommand() throws {
        let task = try TaskLoader.inline(
            command: "nvidia-smi", overrides: TaskOverrides(env: ["A=1"], cpus: "2"))
        #expect(task.name == "sky-cmd")
        #expect(task.run == "nvidia-smi")
        #expect(task.envs.first?.1 == "1")
        #expect(task.resources[0].cpusText == "2")
    }
}

struct PipelineTests {
    @Test func headerAndTasks() throws {
        let doc = try loadTask(
            "name: pipe\n---\nname: a\nrun: echo $X\nenvs: {X: null}\n---\nname: b\nrun: echo b\n",
            TaskOverrides(env: ["X=1"]))
        guard case .dag(let name, let tasks) = doc else {
            Issue.record("expected a dag")
            return
        }
        #expect(name == "pipe")
        #expect(tasks.map(\.name) == ["a", "b"])
        #expect(tasks[0].envs.first?.1 == "1")
        #expect(doc.validateJSON()["dag"]?["name"] == .string("pipe"))
    }

    @Test func parallelHeaderIsAJobGroup() throws {
        let doc = try loadTask(
            "name: grp\nexecution: parallel\n---\nname: a\nrun: x\n---\nname: b\nrun: y\n")
        #expect(doc.tasks.count == 2)
        #expect(loadError("name: grp\nexecution: parallel\n---\nrun: x\n---\nrun: y\n") != nil)
        #expect(loadError("---\n---\n") != nil)
    }

    @Test func launchChecks() throws {
        #expect(throws: TaskError.self) { try single("name: bad---name\n").validateForLaunch() }
        do {
            try single("workdir: /definitely/not/here\n").validateForLaunch()
            Issue.record("expected a workdir failure")
        } catch let error as TaskError {
            #expect(error.stage == "workdir")
        }
        do {
            try single("file_mounts:\n  /remote/: /tmp\n").validateForLaunch()
            Issue.record("expected a file_mounts failure")
        } catch let error as TaskError {
            #expect(error.stage == "file_mounts")
        }
        try single("name: ok.name_1\nworkdir: /tmp\nfile_mounts:\n  /r: /tmp\n  /s: s3://bucket\n")
            .validateForLaunch()
    }
}
