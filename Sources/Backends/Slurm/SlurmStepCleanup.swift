import Foundation
import SkyRuntime

/// Before an allocation is killed: ends every process that a step of it started and that
/// left the step (`setsid`, `nohup ... &`, a daemon). Slurm ends those itself only when its
/// process tracking can follow them (proctrack/cgroup); with proctrack/linuxproc they would
/// outlive the cluster. Such processes still carry `SLURM_JOB_ID=<allocation>` in their
/// environment, which is what this looks for, on every node of the allocation.
enum SlurmStepCleanup {
    /// `sh -c` script: $1 = job id. Skips itself and its ancestors (the step's shell).
    static let script = """
        own=$$; skip=" $own "; p=$own
        while [ "$p" -gt 1 ] 2>/dev/null; do
          p=$(awk '/^PPid:/ {print $2}' /proc/$p/status 2>/dev/null); [ -n "$p" ] || break
          skip="$skip$p "
        done
        victims=""
        for d in /proc/[0-9]*; do
          pid=${d#/proc/}
          case "$skip" in *" $pid "*) continue;; esac
          if tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -qx "SLURM_JOB_ID=$1"; then
            victims="$victims $pid"
          fi
        done
        [ -z "$victims" ] && exit 0
        kill -TERM $victims 2>/dev/null; sleep 1; kill -KILL $victims 2>/dev/null
        exit 0
        """

    /// Runs the cleanup on all `nodes` of `jobID` (one task per node); failures are ignored:
    /// killing the allocation follows anyway.
    static func run(jobID: UInt32, nodes: Int, environment: [String: String]) async {
        guard nodes > 0 else { return }
        let argv = [
            "srun", "--overlap", "--jobid=\(jobID)", "--nodes=\(nodes)", "--ntasks=\(nodes)",
            "--ntasks-per-node=1", "--quiet", "--time=1", "--", "sh", "-c", script, "sh",
            String(jobID),
        ]
        let env = environment.filter { !$0.key.hasPrefix("SLURM_") || $0.key == "SLURM_CONF" }
        _ = try? await ProcessExecution.run(argv, environment: env)
    }
}
