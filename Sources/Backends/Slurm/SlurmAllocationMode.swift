/// How a Sky cluster's allocation is requested (`slurm.allocation` in the config).
package enum SlurmAllocationMode: String, Sendable, Hashable, CaseIterable {
    /// `slurm_allocate_resources`, like `salloc --no-shell`: granted in the call when the
    /// nodes are free. The default: a batch job waits for slurmctld's next scheduling pass
    /// (up to `batch_sched_delay`, 0-3 s), an allocation does not.
    case salloc
    /// `slurm_submit_batch_job`, like `sbatch` (SkyPilot's way): a batch script on the head
    /// node holds the allocation and restarts the skylet daemon if it dies.
    case sbatch
}
