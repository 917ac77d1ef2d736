import Foundation
import SkyRuntime

/// Before an allocation is killed: ends every process that a step of it started and that
/// left the step (`setsid`, `nohup ... &`, a daemon). Slurm ends those itself only when its
/// process tracking can follow them (proctrack/cgroup); with proctrack/linuxproc they would
/// outlive the cluster. Such processes still carry `SLURM_JOB_ID=<allocation>` in their
/// environment, which is what this looks for, on every node of the allocation.
enum SlurmStepCleanup {
    /// `sh -c` script: $1 = job id. Skips itself, its ancestors (the step's shell) and the
    /// other processes of its own step (its tasks on the other nodes where nodes share a
    /// `/proc`, as on the test bed, and their children): they carry the job id too. One
    /// `grep -z` reads every process's environment; the grace second is only spent when
    /// something was found.
    static let script = """
        own=$$; skip=" $own "; p=$own
        while [ "$p" -gt 1 ] 2>/dev/null; do
          p=$(awk '/^PPid:/ {print $2}' /proc/$p/status 2>/dev/null); [ -n "$p" ] || break
          skip="$skip$p "
        done
        victims=""
        for f in $(grep -lzx "SLURM_JOB_ID=$1" /proc/[0-9]*/environ 2>/dev/null); do
          pid=${f#/proc/}; pid=${pid%/environ}
          case "$skip" in *" $pid "*) continue;; esac
          # 0: this step's, 2: gone meanwhile (the grep above, a sibling's short-lived child).
          grep -qzx "SLURM_STEP_ID=${SLURM_STEP_ID:-none}" "$f" 2>/dev/null
          [ $? = 1 ] && victims="$victims $pid"
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
