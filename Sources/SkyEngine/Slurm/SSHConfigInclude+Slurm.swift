import Foundation
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

    /// Writes the entries of a Slurm cluster, reached from here through libslurm or through
    /// a login node of `~/.slurm/config` (`provisioner`: the cluster's; then the cluster's home
    /// is on the login node's side, and the ProxyCommand first goes there over ssh, through
    /// Sky's ssh master when it is up). Does nothing for other backends.
    func writeSlurm(
        cluster: String, info: ClusterInfo, provisioner: any Provisioner,
        environment: [String: String]
    ) async throws {
        guard info.provider == SlurmProvisioner.backendName,
            let jobID = info.providerConfig[SlurmProvisioner.jobIDKey],
            let home = info.head?.home
        else { return }
        let login = (provisioner as? SlurmLoginProvisioner)?.commandRunners(for: info)
            .compactMap { ($0 as? SlurmLoginRunner)?.login }.first
        if info.providerConfig[SlurmLoginProvisioner.loginHostKey] != nil, login == nil { return }
        let publicKey = try await ClusterKey(skyHome: skyHome).ensure()
        let folder = Self.slurmSSHDFolder(home: home)
        // At the lowest CPU priority: it runs while the launch's first job starts, which it
        // must not slow down (one key generation and a few small files).
        let setup = [
            "nice", "-n", "19", "bash", "-c", Self.slurmSetupScript, "sky-sshd-setup", folder,
            publicKey,
            Self.sshdConfig(folder: folder, home: home), Self.slurmProxyScript,
        ]
        let made =
            if let login {
                try await login.run(setup, stdin: nil, environment: [:])
            } else {
                try await ProcessExecution.run(setup)
            }
        // The host's public key, then the user the script ran as: sshd, run by that user,
        // logs in only as that user.
        let reply = made.stdout.split(separator: "\n").map(String.init)
        guard made.exitCode == 0, reply.count >= 2, reply[0].hasPrefix("ssh-") else {
            throw EngineError.runtime(
                cluster: cluster, reason: "setting up ssh access failed: \(made.stderr)")
        }
        let alias = "sky-slurm-\(info.clusterNameOnCloud)"
        let knownHosts = slurmKnownHostsFile(cluster: cluster)
        try FileManager.default.createDirectory(
            atPath: (knownHosts as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try AtomicFile.write("\(alias) \(reply[0])\n", to: knownHosts)

        // Through a login node: libslurm's configuration there is its own.
        let slurmConf = login == nil ? SlurmClient.configPath(environment: environment) : ""
        try writeProxied(
            cluster: cluster,
            nodes: info.instances.map { node in
                let name = node.nodeName ?? node.instanceID
                let proxy = [
                    "bash", folder + "/proxy.sh", slurmConf, jobID, name, folder + "/sshd_config",
                ]
                return ProxiedNode(
                    hostName: name, user: reply[1], hostKeyAlias: alias,
                    proxyCommand: login.map {
                        ["ssh"] + $0.options.commonArguments()
                            + ["-T", $0.options.destination, ShellQuote.join(proxy)]
                    } ?? proxy)
            }, knownHosts: knownHosts)
    }

    /// Makes the sshd folder (0700) in the cluster's home, its host key once, the authorized
    /// Sky key, the sshd config and the proxy script (0600); prints the host's public key and
    /// the user's name.
    /// Arguments: FOLDER AUTHORIZED_KEY SSHD_CONFIG PROXY_SCRIPT.
    static let slurmSetupScript = #"""
        set -e; umask 077; d=$1
        mkdir -p "$d"; chmod 700 "$d"
        [ -f "$d/host_key" ] || ssh-keygen -q -t ed25519 -N "" -C sky-sshd -f "$d/host_key"
        printf '%s\n' "$2" > "$d/authorized_keys"
        printf '%s' "$3" > "$d/sshd_config"
        printf '%s' "$4" > "$d/proxy.sh"
        cat "$d/host_key.pub"; id -un
        """#

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
            SetEnv \(quoted("HOME=" + home)) SKY_SSH_SESSION=1

            """
    }

    /// The ProxyCommand: `SCRIPT SLURM_CONF JOB NODE SSHD_CONFIG`. srun reads `SLURM_*`
    /// variables as options, so those of a job the user may be in are dropped (not
    /// `SLURM_CONF`, which the SLURM_CONF argument, when not empty, replaces); srun's report
    /// of the server's exit when the session ends is not the user's business.
    static let slurmProxyScript = #"""
        #!/bin/bash
        # ssh ProxyCommand of the sky Slurm backend: the node's sshd in inetd mode, as a step
        # of the cluster's allocation.
        for v in $(compgen -e); do
          case "$v" in SLURM_CONF) ;; SLURM_*) unset "$v" ;; esac
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
}
