import SkyCore

/// The `srun` command that runs one task on one node of a Slurm allocation, sharing the
/// allocation's resources (`--overlap`); the step sees the allocation's GPUs on that node.
enum SlurmStep {
    /// `srun ... --` (the command follows).
    static func argv(endpoint: NodeEndpoint, home: String) -> [String] {
        let node = endpoint.nodeName ?? endpoint.ip
        var args = ["srun", "--overlap"]
        if let job = endpoint.slurmJobID { args.append("--jobid=\(job)") }
        return args + [
            "--nodes=1", "--ntasks=1", "--nodelist=\(node)", "--quiet", "--kill-on-bad-exit=1",
            "--chdir=\(home)", "--",
        ]
    }

    /// srun reads `SLURM_*` variables as options: drop those of the step the skylet itself
    /// runs in (keep `SLURM_CONF`); `HOME` is the node's home.
    static func environment(base: [String: String], home: String) -> [String: String] {
        var env = base.filter { !$0.key.hasPrefix("SLURM_") || $0.key == "SLURM_CONF" }
        env["HOME"] = home
        return env
    }
}
