import Foundation
import Testing

@testable import Skylet

struct SlurmStepTests {
    @Test(arguments: [
        "srun: error: node1: task 0: Exited with exit code 3",
        "srun: error: gpu-a100-07: task 12: Exited with exit code 137",
    ])
    func srunsExitReportsAreRecognised(_ line: String) {
        #expect(SlurmStep.isExitReport(line))
    }

    /// The task's own output and srun's other errors stay in the log.
    @Test(arguments: [
        "Exited with exit code 3",
        "srun: error: node1: task 0: Exited with exit code ",
        "srun: error: node1: task 0: Exited with exit code 3 (core dumped)",
        "srun: error: node1: task x: Exited with exit code 3",
        "srun: error: : task 0: Exited with exit code 3",
        "srun: error: Exited with exit code 3",
        "srun: error: Unable to create step for job 42: Invalid job id specified",
        "my program: srun: error: node1: task 0: Exited with exit code 3",
    ])
    func otherLinesAreNot(_ line: String) {
        #expect(!SlurmStep.isExitReport(line))
    }

    /// In a one-node step of a two-node job, the payload's prelude leaves Slurm's variables as
    /// a batch script of the job's nodes sees them (bash runs it with a step's environment).
    @Test func thePreludeShowsTheJobsNodesNotTheStep() throws {
        let prelude = SlurmStep.prelude(nodes: ["gpu-a1", "gpu-a2"], rank: 1)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", (prelude + ["env"]).joined(separator: "\n")]
        shell.environment = [
            "PATH": "/usr/bin:/bin", "CUDA_VISIBLE_DEVICES": "1", "SLURM_JOB_ID": "42",
            "SLURM_JOB_NODELIST": "gpu-a2", "SLURM_NODELIST": "gpu-a[1-2]", "SLURM_NNODES": "1",
            "SLURM_NTASKS": "1", "SLURM_NODEID": "0", "SLURM_PROCID": "0", "SLURM_STEP_ID": "3",
            "SLURM_STEP_NODELIST": "gpu-a2", "SLURM_DISTRIBUTION": "cyclic",
            "SLURM_SRUN_COMM_PORT": "4000",
        ]
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        let env = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            "SLURM_JOB_ID=42", "SLURM_JOB_NODELIST=gpu-a1,gpu-a2", "SLURM_NODELIST=gpu-a1,gpu-a2",
            "SLURM_NNODES=2", "SLURM_JOB_NUM_NODES=2", "SLURM_NTASKS=2", "SLURM_NPROCS=2",
            "SLURM_TASKS_PER_NODE=1(x2)", "SLURM_NODEID=1", "SLURM_PROCID=1", "SLURM_LOCALID=0",
            "SKY_SLURM_GPUS=1",
        ] {
            #expect(env.contains(expected), "\(expected) missing from \(env.sorted())")
        }
        for gone in [
            "SLURM_STEP_ID", "SLURM_STEP_NODELIST", "SLURM_DISTRIBUTION",
            "SLURM_SRUN_COMM_PORT", "CUDA_VISIBLE_DEVICES",
        ] {
            #expect(!env.contains { $0.hasPrefix(gone + "=") }, "\(gone) is still set")
        }
    }
}
