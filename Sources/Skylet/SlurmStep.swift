import Foundation
import SkyCore

/// The `srun` command that runs one task on one node of a Slurm allocation, sharing the
/// allocation's resources (`--overlap`); the step sees the allocation's GPUs on that node.
enum SlurmStep {
    /// `srun ... --` (the command follows). `name`: the step's name in `squeue -s` (else
    /// Slurm's default, the command's). `stdin`: false, the step reads nothing from srun
    /// (`--input=none`, its stdin is /dev/null).
    static func argv(
        endpoint: NodeEndpoint, home: String, name: String? = nil, stdin: Bool = true
    ) -> [String] {
        let node = nodeName(endpoint)
        var args = ["srun", "--overlap"]
        if let job = endpoint.slurmJobID { args.append("--jobid=\(job)") }
        if let name { args.append("--job-name=\(name)") }
        if !stdin { args.append("--input=none") }
        return args + [
            "--nodes=1", "--ntasks=1", "--nodelist=\(node)", "--quiet", "--kill-on-bad-exit=1",
            "--chdir=\(home)", "--",
        ]
    }

    /// A node's name as Slurm knows it (its address when the allocation gave none).
    static func nodeName(_ endpoint: NodeEndpoint) -> String {
        endpoint.nodeName ?? endpoint.ip
    }

    /// The name of the step the skylet daemon runs in (salloc mode).
    static let daemonStepName = "sky-skylet-daemon"

    /// The node's shell, reading the payload on stdin.
    static let shell = ["/bin/bash", "-s"]

    /// The payload's first lines on a Slurm node (builtins only). The step's GPUs (what Slurm
    /// set `CUDA_VISIBLE_DEVICES` to) are kept in `SKY_SLURM_GPUS` for the cluster home's
    /// `.bashrc`, which maps the skylet's GPU indices onto them. Slurm's variables then describe
    /// the phase's nodes (`nodes`, this one at `rank`) as a batch script of an allocation of
    /// them, one task per node, sees them, not the one-node step the payload runs in: scripts
    /// read `SLURM_JOB_NODELIST`, `SLURM_NNODES` and `SLURM_NODEID`, and an `srun` inside the
    /// task (SkyPilot's Slurm examples start MPI and NCCL programs so) places its tasks on the
    /// job's nodes instead of refusing more than one ("Only allocated 1 nodes asked for 2").
    static func prelude(nodes: [String], rank: Int) -> [String] {
        let list = ShellQuote.quote(nodes.joined(separator: ","))
        let count = String(nodes.count)
        return [
            "export SKY_SLURM_GPUS=\"${CUDA_VISIBLE_DEVICES-}\"; unset CUDA_VISIBLE_DEVICES",
            "unset " + stepVariables.joined(separator: " "),
            "export SLURM_JOB_NODELIST=\(list) SLURM_NODELIST=\(list) SLURM_NNODES=\(count)"
                + " SLURM_JOB_NUM_NODES=\(count) SLURM_NTASKS=\(count) SLURM_NPROCS=\(count)"
                + " SLURM_NTASKS_PER_NODE=1 SLURM_TASKS_PER_NODE='1(x\(count))'"
                + " SLURM_NODEID=\(rank) SLURM_PROCID=\(rank) SLURM_LOCALID=0",
        ]
    }

    /// What srun sets for the one-node step a payload runs in, which an `srun` inside the task
    /// would take as its own options (the step's node list, task count, distribution, ...).
    static let stepVariables = [
        "SLURM_STEP_ID", "SLURM_STEPID", "SLURM_STEP_NODELIST", "SLURM_STEP_NUM_NODES",
        "SLURM_STEP_NUM_TASKS", "SLURM_STEP_TASKS_PER_NODE", "SLURM_STEP_LAUNCHER_PORT",
        "SLURM_SRUN_COMM_HOST", "SLURM_SRUN_COMM_PORT", "SLURM_DISTRIBUTION",
        "SLURM_LAUNCH_NODE_IPADDR", "SLURM_GTIDS", "SLURM_CPU_BIND", "SLURM_CPU_BIND_LIST",
        "SLURM_CPU_BIND_TYPE", "SLURM_CPU_BIND_VERBOSE",
    ]

    /// Variables Slurm sets per step from GRES: never inherited from the skylet's own step.
    static let gpuVariables: Set<String> = [
        "CUDA_VISIBLE_DEVICES", "GPU_DEVICE_ORDINAL", "ROCR_VISIBLE_DEVICES",
    ]

    /// Whether `line` is srun's own report of a task that ended non-zero
    /// (`srun: error: node1: task 0: Exited with exit code 3`): the driver reports a failed
    /// node itself (`ERROR: Job N failed with return code 3 on node 1.`), the same on every
    /// backend, so these stay out of the job's log.
    static func isExitReport(_ line: String) -> Bool {
        let prefix = "srun: error: "
        let marker = ": Exited with exit code "
        guard line.hasPrefix(prefix) else { return false }
        let rest = line.dropFirst(prefix.count)
        guard let exit = rest.range(of: marker), exit.upperBound < rest.endIndex,
            rest[exit.upperBound...].allSatisfy(\.isNumber)
        else { return false }
        // `<node>: task <n>` between the prefix and the marker.
        let task = rest[..<exit.lowerBound]
        guard let split = task.range(of: ": task ", options: .backwards) else { return false }
        return !task[..<split.lowerBound].isEmpty
            && !task[split.upperBound...].isEmpty
            && task[split.upperBound...].allSatisfy(\.isNumber)
    }

    /// srun reads `SLURM_*` variables as options: drop those of the step the skylet itself
    /// runs in (keep `SLURM_CONF`) and its GPU variables; `HOME` is the node's home.
    static func environment(base: [String: String], home: String) -> [String: String] {
        var env = base.filter {
            (!$0.key.hasPrefix("SLURM_") || $0.key == "SLURM_CONF")
                && !gpuVariables.contains($0.key)
        }
        env["HOME"] = home
        return env
    }
}
