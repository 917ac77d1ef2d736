import Foundation
import SkyProvision
import SkySlurm

extension SkyEngine {
    /// The Slurm backend (issue #8), registered when this machine can reach a Slurm cluster:
    /// `$SLURM_CONF`, `/etc/slurm/slurm.conf` or `~/.slurm/config` exists. Construction does
    /// no other I/O: `config.yaml`'s `slurm:` section and libslurm are read on first use.
    func slurmBackend() -> (any Provisioner)? {
        let fm = FileManager.default
        let candidates = [
            environment["SLURM_CONF"], "/etc/slurm/slurm.conf", userHome + "/.slurm/config",
        ]
        guard candidates.contains(where: { $0.map { fm.fileExists(atPath: $0) } ?? false }) else {
            return nil
        }
        return SlurmProvisioner(
            configFile: SlurmConfigFile(path: home + "/config.yaml"), environment: environment)
    }
}
