import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

/// The home of a Sky cluster's nodes: its own directory on the shared filesystem, so the
/// skylet state, workdir and logs of two clusters never mix. `.sky/bin` in it links to the
/// user's, so the skylet binary is copied once for every cluster; its `.bashrc` (read by the
/// interactive shell that runs each task) sources the user's own `~/.bashrc` and then maps
/// the skylet's GPU indices onto the GPUs Slurm gave the step.
extension SlurmProvisioner {
    /// The user's home on the cluster (shared by every node, as on any Slurm cluster).
    var userHome: String { environment["HOME"] ?? NSHomeDirectory() }

    package func clusterHome(_ clusterNameOnCloud: String) -> String {
        (settings.clustersDirectory ?? userHome + "/.sky/slurm/clusters") + "/"
            + clusterNameOnCloud
    }

    /// Creates the cluster's home, its `.sky/bin` link and `.bashrc`.
    func prepareClusterHome(_ clusterNameOnCloud: String) throws(ProvisionError) {
        let home = clusterHome(clusterNameOnCloud)
        let sharedBin = userHome + "/.sky/bin"
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: home + "/.sky", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: sharedBin, withIntermediateDirectories: true)
            if (try? fm.destinationOfSymbolicLink(atPath: home + "/.sky/bin")) == nil {
                try fm.createSymbolicLink(
                    atPath: home + "/.sky/bin", withDestinationPath: sharedBin)
            }
            try AtomicFile.write(Self.bashrc(userHome: userHome), to: home + "/.bashrc")
            try AtomicFile.write(
                Self.bashProfile(userHome: userHome), to: home + "/.bash_profile")
        } catch {
            throw .internal("Cannot create the Slurm cluster directory \(home): \(error)")
        }
    }

    /// The user's `.bashrc` runs with `HOME` = the user's home (it may use `$HOME/...`).
    /// `SKY_SLURM_GPUS` is the step's own `CUDA_VISIBLE_DEVICES` (saved, and the variable
    /// unset, by the skylet's step command); the skylet's `CUDA_VISIBLE_DEVICES`, when the job
    /// has GPUs, are indices into it; a job without GPUs sees the step's. Done once (the
    /// variable is then unset, so a nested shell keeps the result).
    static func bashrc(userHome: String) -> String {
        let rc = ShellQuote.quote(userHome + "/.bashrc")
        return """
            # Written by Sky for this Slurm cluster (removed by 'sky down').
            if [ -f \(rc) ]; then
              _sky_home=$HOME; HOME=\(ShellQuote.quote(userHome)); . \(rc); HOME=$_sky_home; unset _sky_home
            fi
            if [ -n "${SKY_SLURM_GPUS+x}" ]; then
              if [ -n "${CUDA_VISIBLE_DEVICES:-}" ] && [ -n "$SKY_SLURM_GPUS" ]; then
                IFS=, read -ra _sky_all <<< "$SKY_SLURM_GPUS"
                IFS=, read -ra _sky_idx <<< "$CUDA_VISIBLE_DEVICES"
                _sky_out=
                for _sky_i in "${_sky_idx[@]}"; do
                  if [[ $_sky_i =~ ^[0-9]+$ ]] && [ -n "${_sky_all[$_sky_i]:-}" ]; then
                    _sky_out="${_sky_out:+$_sky_out,}${_sky_all[$_sky_i]}"
                  fi
                done
                if [ -n "$_sky_out" ]; then export CUDA_VISIBLE_DEVICES="$_sky_out"; fi
                unset _sky_all _sky_idx _sky_out _sky_i
              elif [ -n "$SKY_SLURM_GPUS" ]; then
                export CUDA_VISIBLE_DEVICES="$SKY_SLURM_GPUS"
              fi
              unset SKY_SLURM_GPUS
            fi
            \(sshSessionStart)
            """
    }

    /// The login shell of `ssh <cluster>` (`HOME` is the cluster's home) reads the user's own
    /// login files, as a login on the cluster would, with `HOME` the user's home while they
    /// run; then the session starts in the cluster's home, beside `sky_workdir`.
    static func bashProfile(userHome: String) -> String {
        let quoted = ShellQuote.quote(userHome)
        return """
            # Written by Sky for this Slurm cluster (removed by 'sky down').
            _sky_home=$HOME; HOME=\(quoted)
            if [ -f ~/.bash_profile ]; then . ~/.bash_profile
            elif [ -f ~/.bash_login ]; then . ~/.bash_login
            elif [ -f ~/.profile ]; then . ~/.profile
            fi
            HOME=$_sky_home; unset _sky_home
            \(sshSessionStart)
            """
    }

    /// `SKY_SSH_SESSION` is set by the sshd of `ssh <cluster>` only: the session's shell (and
    /// the commands of `ssh <cluster> CMD`, scp and rsync, where bash reads `.bashrc`) starts
    /// in the cluster's home, so relative paths mean what `~/...` means to the cluster's jobs.
    /// Once: nested shells stay where they are.
    static let sshSessionStart = """
        if [ -n "${SKY_SSH_SESSION:-}" ]; then unset SKY_SSH_SESSION; cd "$HOME" 2>/dev/null; fi
        """
}
