import SkyProvision
import SkySlurm

extension SkyEngine {
    /// The Slurm backend (issue #8). Nil while its launch path is incomplete: an unfinished
    /// backend is never registered.
    func slurmBackend() -> (any Provisioner)? { nil }
}
