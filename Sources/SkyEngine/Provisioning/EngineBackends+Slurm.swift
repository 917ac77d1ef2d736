import Foundation
import SkyProvision
import SkySlurm

extension SkyEngine {
    /// The Slurm backend (issue #8). On a login node (`$SLURM_CONF` or
    /// `/etc/slurm/slurm.conf` exists: libslurm needs it and munge) it talks to slurmctld
    /// itself; elsewhere, when `~/.slurm/config` exists, it reaches each cluster's login node
    /// over ssh and runs `sky-slurm-agent` there (libslurm on the login node). Construction
    /// stats those files and does no other I/O: `config.yaml`'s `slurm:` section, libslurm,
    /// `~/.slurm/config` and ssh are used on first use.
    func slurmBackend() -> (any Provisioner)? {
        let fm = FileManager.default
        let environment = self.environment
        let skylet = SlurmBinarySource(
            locate: { SkyletBinary.locate(environment: environment) },
            sha256: { try await SkyletBinary.sha256($0) })
        let configFile = SlurmConfigFile(path: home + "/config.yaml")
        let candidates = [environment["SLURM_CONF"], "/etc/slurm/slurm.conf"]
        if candidates.contains(where: { $0.map { fm.fileExists(atPath: $0) } ?? false }) {
            return SlurmProvisioner(
                configFile: configFile, environment: environment, skylet: skylet)
        }
        let hostsFile = SlurmLoginHosts.defaultPath(userHome: userHome)
        guard fm.fileExists(atPath: hostsFile) else { return nil }
        let agent = SlurmBinarySource(
            locate: { Self.slurmAgentPath(environment: environment) },
            sha256: { try await SkyletBinary.sha256($0) })
        return SlurmLoginProvisioner(
            hostsFile: hostsFile, configFile: configFile, controlDirectory: home + "/ssh/cm",
            agent: agent, skylet: skylet, environment: environment)
    }

    /// `$SKY_SLURM_AGENT_BINARY`, else `sky-slurm-agent` beside the running executable.
    static func slurmAgentPath(environment: [String: String]) -> String {
        if let path = environment["SKY_SLURM_AGENT_BINARY"], !path.isEmpty { return path }
        var own = environment
        own["SKY_SKYLET_BINARY"] = nil
        let directory = (SkyletBinary.locate(environment: own) as NSString)
            .deletingLastPathComponent
        return directory + "/" + SlurmAgentWire.executableName
    }
}
