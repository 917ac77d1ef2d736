/// How a Sky cluster's allocation is requested (`slurm.allocation` in the config).
package enum SlurmAllocationMode: String, Sendable, Hashable, CaseIterable {
    /// `slurm_allocate_resources`, like `salloc --no-shell`: granted in the call when the
    /// nodes are free (a batch job waits for slurmctld's next scheduling pass, up to
    /// `batch_sched_delay`, 0-3 s). The skylet's daemon and job drivers, started from job
    /// steps, outlive those steps only where Slurm tracks processes by their parents
    /// (`proctrack/linuxproc`, `proctrack/pgid`).
    case salloc
    /// `slurm_submit_batch_job`, like `sbatch` (SkyPilot's way): the batch script on the head
    /// node runs the skylet daemon, and the daemon starts the job drivers, so they live in the
    /// batch step for the allocation's whole life whatever the process tracking
    /// (`proctrack/cgroup` ends every process of a step with the step).
    case sbatch

    /// The mode when the config names none: `sbatch` where Slurm tracks processes with
    /// cgroups, else `salloc`.
    package static func automatic(proctrackType: String) -> SlurmAllocationMode {
        sallocWorks(proctrackType: proctrackType) ? .salloc : .sbatch
    }

    /// Whether processes started from a step outlive it under this process tracking (not
    /// with cgroups), which `salloc` mode needs.
    package static func sallocWorks(proctrackType: String) -> Bool {
        !proctrackType.contains("cgroup")
    }
}
