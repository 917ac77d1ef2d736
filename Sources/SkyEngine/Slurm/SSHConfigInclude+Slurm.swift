import Foundation
import Glibc
import SkyCore
import SkyProvision
import SkyRuntime
import SkySlurm

/// `ssh <cluster>` (and `<cluster>-worker<i>`, scp, rsync -e ssh, editors' remote sessions)
/// into the nodes of a Slurm allocation, where compute nodes need not run an sshd one can
/// reach: each entry's ProxyCommand starts `sshd -i` (inetd mode: the SSH server on the
/// step's stdin/stdout) as a step of the allocation on that node (`srun --overlap`), so the
/// session lives inside the allocation, as the user, and ends with it. The server's host key,
/// config and authorized key (the Sky cluster key) are in the cluster's home (mode 0600 in a
/// 0700 folder); the session's `HOME` is that home, as for the cluster's jobs.
extension SSHConfigInclude {
    /// The folder of the cluster's sshd material in its home.
    static func slurmSSHDFolder(home: String) -> String { home + "/.sky/sshd" }

    /// Writes the entries of a Slurm cluster reached from here through libslurm (a cluster
    /// reached through a login node has none: its home is on the login node's side). Does
    /// nothing for other backends.
    func writeSlurm(cluster: String, info: ClusterInfo, environment: [String: String]) async throws
    {
        guard info.provider == SlurmProvisioner.backendName,
            info.providerConfig[SlurmLoginProvisioner.loginHostKey] == nil,
            let jobID = info.providerConfig[SlurmProvisioner.jobIDKey],
            let home = info.head?.home
        else { return }
        let publicKey = try await ClusterKey(skyHome: skyHome).ensure()
        let folder = Self.slurmSSHDFolder(home: home)
        let fm = FileManager.default
        try fm.createDirectory(
            atPath: folder, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let hostKey = folder + "/host_key"
        if !fm.fileExists(atPath: hostKey) {
            let made = try await ProcessExecution.run([
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sky-\(cluster)", "-f",
                hostKey,
            ])
            guard made.exitCode == 0 else {
                throw EngineError.runtime(
                    cluster: cluster, reason: "ssh-keygen failed: \(made.stderr)")
            }
        }
        try AtomicFile.write(publicKey + "\n", to: folder + "/authorized_keys", permissions: 0o600)
        let config = folder + "/sshd_config"
        try AtomicFile.write(
            Self.sshdConfig(folder: folder, home: home), to: config, permissions: 0o600)
        let alias = "sky-slurm-\(info.clusterNameOnCloud)"
        let hostPublicKey = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let knownHosts = slurmKnownHostsFile(cluster: cluster)
        try fm.createDirectory(
            atPath: (knownHosts as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try AtomicFile.write("\(alias) \(hostPublicKey)\n", to: knownHosts)

        let proxy = try writeHelper(Self.slurmProxyScript, name: "slurm-ssh-proxy.sh")
        let slurmConf = SlurmClient.configPath(environment: environment)
        let user = Self.loginName()
        var text = "# Added by Sky for cluster '\(cluster)'; removed by 'sky down \(cluster)'.\n"
        for (index, node) in info.instances.enumerated() {
            let name = node.nodeName ?? node.instanceID
            let hostAlias = index == 0 ? cluster : "\(cluster)-worker\(index)"
            let command = [proxy, slurmConf, jobID, name, config]
            text += "Host \(hostAlias)\n  HostName \(name)\n  User \(user)\n"
            text += "  IdentityFile \(ClusterKey(skyHome: skyHome).privateKeyPath)\n"
            text += "  IdentitiesOnly yes\n  UserKnownHostsFile \(knownHosts)\n"
            text += "  HostKeyAlias \(alias)\n  StrictHostKeyChecking yes\n"
            text += "  ProxyCommand \(ShellQuote.join(command))\n\n"
        }
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try AtomicFile.write(text, to: directory + "/" + cluster)
        try ensureInclude()
    }

    /// The known_hosts file of a Slurm cluster's entries (outside `directory`, whose every
    /// file `~/.ssh/config` includes).
    func slurmKnownHostsFile(cluster: String) -> String {
        skyHome + "/generated/known_hosts/" + cluster
    }

    /// The sshd of a session: key login only, as the user who runs it (no PAM, no privilege
    /// separation to set up), `HOME` the cluster's home. `StrictModes no`: sshd would refuse
    /// the key when a folder above it is writable by a group or by all (shared filesystems,
    /// /tmp); the files are Sky's own, 0600 in a folder only the user can open.
    static func sshdConfig(folder: String, home: String) -> String {
        func quoted(_ value: String) -> String {
            "\"" + value.replacingOccurrences(of: "\"", with: "") + "\""
        }
        return """
            # Written by Sky for 'ssh <cluster>' into this Slurm cluster (removed by 'sky down').
            HostKey \(quoted(folder + "/host_key"))
            AuthorizedKeysFile \(quoted(folder + "/authorized_keys"))
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PidFile none
            PrintMotd no
            LogLevel ERROR
            SetEnv \(quoted("HOME=" + home))

            """
    }

    /// The ProxyCommand: `SCRIPT SLURM_CONF JOB NODE SSHD_CONFIG`. srun reads `SLURM_*`
    /// variables as options, so those of a job the user may be in are dropped; srun's report
    /// of the server's exit when the session ends is not the user's business.
    static let slurmProxyScript = #"""
        #!/bin/bash
        # ssh ProxyCommand of the sky Slurm backend: the node's sshd in inetd mode, as a step
        # of the cluster's allocation.
        for v in $(compgen -e); do
          case "$v" in SLURM_*) unset "$v" ;; esac
        done
        [ -n "$1" ] && export SLURM_CONF="$1"
        exec srun --overlap --jobid="$2" --nodes=1 --ntasks=1 --nodelist="$3" --quiet \
          --unbuffered /bin/sh -c '
            for s in /usr/sbin/sshd /usr/bin/sshd /usr/local/sbin/sshd; do
              [ -x "$s" ] && exec "$s" -i -f "$1"
            done
            echo "sky: no sshd on $(hostname) (install openssh-server)" >&2; exit 1' sky-sshd "$4" \
          2> >(grep -v -E '^srun: error: .*: task [0-9]+: Exited with exit code [0-9]+$' >&2)

        """#

    /// The name of the user this process runs as (sshd logs in only as the user who runs it).
    static func loginName() -> String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return ProcessInfo.processInfo.userName
    }
}
