/// What Sky reads of slurmctld's running configuration, from one `slurm_load_ctl_conf`.
package struct SlurmControlSettings: Sendable, Equatable {
    /// `ClusterName` ("slurm" when unset).
    package var clusterName: String
    /// `ProctrackType` (`proctrack/cgroup`, `proctrack/linuxproc`, ...).
    package var proctrackType: String
}
