/// One Slurm job as `slurm_load_job(s)` reports it (copied out of libslurm's memory).
package struct SlurmJob: Sendable, Hashable {
    /// `enum job_states` (`job_state & JOB_STATE_BASE`).
    package enum State: UInt32, Sendable, Hashable {
        case pending = 0
        case running, suspended, complete, cancelled, failed, timeout, nodeFail,
            preempted, bootFail, deadline, outOfMemory
    }

    package var id: UInt32
    package var name: String
    package var userID: UInt32
    package var partition: String?
    /// nil when the base state is one this build does not know.
    package var state: State?
    /// `slurm_job_state_string` (e.g. `RUNNING`, `COMPLETING` flags folded in).
    package var stateText: String
    /// `slurm_job_reason_string(state_reason)` (`Resources`, `Priority`, `None`...).
    package var reason: String
    /// `state_desc`: Slurm's detail for the reason, when it gives one.
    package var reasonDetail: String?
    /// The allocation as a host list expression (`node[1-2]`); nil while pending.
    package var nodeList: String?
    /// `nodeList` expanded (slurm_hostlist_*), in allocation order.
    package var nodes: [String]
    package var numNodes: UInt32
    /// Minutes; nil = unlimited.
    package var timeLimitMinutes: UInt32?
    package var tresPerNode: String?
    package var exitCode: UInt32
    /// Whether the job is still being torn down (`JOB_COMPLETING` flag).
    package var completing: Bool
    /// A batch job (`sbatch`), not an allocation without a script (`salloc`).
    package var batch: Bool = false

    /// Pending, running or suspended, or still completing.
    package var isActive: Bool {
        switch state {
        case .pending, .running, .suspended: true
        default: completing
        }
    }
}
