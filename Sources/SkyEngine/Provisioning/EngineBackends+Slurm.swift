import Foundation
import SkyProvision
import SkySlurm

extension SkyEngine {
    /// The Slurm backend (issue #8), registered when this machine is a Slurm login node:
    /// `$SLURM_CONF` or `/etc/slurm/slurm.conf` exists (libslurm needs it and munge). A
    /// laptop's `~/.slurm/config` (login nodes over ssh) is not enough: that path is not built
    /// yet, so it does not register a backend that cannot work. Construction does no other
    /// I/O: `config.yaml`'s `slurm:` section and libslurm are read on first use.
    func slurmBackend() -> (any Provisioner)? {
        let fm = FileManager.default
        let candidates = [
            environment["SLURM_CONF"], "/etc/slurm/slurm.conf",
        ]
        guard candidates.contains(where: { $0.map { fm.fileExists(atPath: $0) } ?? false }) else {
            return nil
        }
        return SlurmProvisioner(
            configFile: SlurmConfigFile(path: home + "/config.yaml"), environment: environment)
    }
}
