#!/usr/bin/env bash
# Slurm backend figures (issue #8), on the Slurm testbed (Tests/testbed/slurm.sh up):
#   1. `sky launch` of a 2-node cluster until the task's first log line, vs a bare
#      `srun -N2 hostname` (allocation + one step) measured in the same run; target < 2x.
#      Each is the median of SKY_BENCH_RUNS runs (default 5); every launch is taken down. Also
#      measured in the same runs: Slurm's own part of such a launch (allocation, a step on the
#      head, then a step on both nodes, back to back), and so what Sky adds to it; and one
#      step alone in a held allocation. A launch by this design runs two steps one after the
#      other (the skylet's on the head, then the job's), so the target needs each step to
#      cost well under half a bare srun: compare that line with the first. Last, how long a
#      step's task lives on once its srun is killed (why one step cannot carry both: the
#      launch's own srun would hold the job).
#      The `sky down` after each launch is timed too.
#   2. `sky status -r` of an UP 2-node Slurm cluster (libslurm query), median; target < 50 ms.
#   3. The same two figures from outside the cluster: SLURM_CONF unset for sky, only
#      ~/.slurm/config naming the test bed's login node (sky-slurm-agent runs there over ssh,
#      then stays up there for the next commands, reached through the ssh master's forward).
#
# Binaries: $SKY_BIN_DIR/sky, skylet and sky-slurm-agent when set, else a static release build
# (scripts/lib.sh build_static, plus the agent in the same scratch path).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$ROOT/scripts/lib.sh"

if [ -z "${SLURM_CONF:-}" ]; then
    eval "$("$ROOT/Tests/testbed/slurm.sh" env 2>/dev/null)" || true
fi
[ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ] || die "no Slurm testbed: Tests/testbed/slurm.sh up"
sinfo -h >/dev/null 2>&1 || die "slurmctld does not answer (sinfo failed)"

if [ -z "${SKY_BIN_DIR:-}" ]; then
    ensure_swift
    SKY_BIN_DIR="$(build_static release)" || die "static build failed"
    swift build --static-swift-stdlib -c release --scratch-path "$SKY_STATIC_SCRATCH" \
        --product sky-slurm-agent >&2 || die "static build of sky-slurm-agent failed"
fi
AGENT="${SKY_SLURM_AGENT_BINARY:-$SKY_BIN_DIR/sky-slurm-agent}"
SKY="$SKY_BIN_DIR/sky"
export SKY_SKYLET_BINARY="${SKY_SKYLET_BINARY:-$SKY_BIN_DIR/skylet}"
[ -x "$SKY" ] && [ -x "$SKY_SKYLET_BINARY" ] || die "missing $SKY or $SKY_SKYLET_BINARY"
RUNS="${SKY_BENCH_RUNS:-5}"

# The nodes share this machine's filesystem: the work directory doubles as the shared home.
WORK=$(mktemp -d /tmp/sky-bench-slurm.XXXXXX)
export HOME="$WORK/home" SKY_HOME="$WORK/home/.sky"
mkdir -p "$SKY_HOME"
CLUSTER="benchslurm"
cleanup() {
    "$SKY" down -y "$CLUSTER" >/dev/null 2>&1
    # The login node's ssh ControlMasters (ControlPersist) would outlive their sockets' folder.
    local socket
    for socket in "$WORK"/home/.sky/ssh/cm/*; do
        [ -S "$socket" ] && ssh -o ControlPath="$socket" -O exit skytestbed >/dev/null 2>&1
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

cat >"$WORK/task.yaml" <<'YAML'
resources:
  infra: slurm
  cpus: 1
num_nodes: 2
run: echo "first line from rank $SKYPILOT_NODE_RANK"
YAML

# Warm-up: installs the skylet in the shared home once (as a user's first launch would).
"$SKY" launch -y -c "$CLUSTER" "$WORK/task.yaml" >/dev/null 2>&1 || die "warm-up launch failed"
"$SKY" down -y "$CLUSTER" >/dev/null 2>&1

say "1/3: launch-to-first-log-line vs srun -N2 hostname ($RUNS runs each, alternating)"
python3 - "$SKY" "$WORK/task.yaml" "$CLUSTER" "$RUNS" <<'PY'
import os, statistics, subprocess, sys, time
sky, task, cluster, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def srun():
    start = time.perf_counter()
    done = subprocess.run(["srun", "-N2", "--cpus-per-task=1", "hostname"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"srun failed: {done.stderr.strip()}")
    return (time.perf_counter() - start) * 1000

def launch():
    start = time.perf_counter()
    proc = subprocess.Popen([sky, "launch", "-y", "-c", cluster, task], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    first = None
    output = []
    for line in proc.stdout:
        output.append(line)
        if first is None and "first line from rank" in line:
            first = (time.perf_counter() - start) * 1000
    proc.wait()
    start = time.perf_counter()
    subprocess.run([sky, "down", "-y", cluster], capture_output=True)
    downs.append((time.perf_counter() - start) * 1000)
    if first is None:
        sys.exit("launch printed no task line:\n" + "".join(output[-20:]))
    return first

def floor():
    """Slurm's own part of a launch by this design: an allocation, then a step on its head
    (where the skylet sets up and starts the job's driver), then the job's step on both nodes,
    one after the other, with nothing of Sky's in between."""
    start = time.perf_counter()
    alloc = subprocess.run(["salloc", "-N2", "--cpus-per-task=1", "--no-shell"],
                           capture_output=True, text=True)
    job = alloc.stderr.strip().split()[-1] if alloc.returncode == 0 else ""
    if not job.isdigit():
        sys.exit(f"salloc failed: {alloc.stderr.strip()}")
    try:
        for nodes in ("1", "2"):
            step = subprocess.run(["srun", "--overlap", f"--jobid={job}", f"-N{nodes}",
                                   f"-n{nodes}", "--quiet", "hostname"], capture_output=True)
            if step.returncode != 0:
                sys.exit(f"srun step failed: {step.stderr.decode().strip()}")
        total = (time.perf_counter() - start) * 1000
        # One more step on both nodes of the held allocation: what each step costs alone.
        start = time.perf_counter()
        subprocess.run(["srun", "--overlap", f"--jobid={job}", "-N2", "-n2", "--quiet",
                        "hostname"], capture_output=True)
        steps.append((time.perf_counter() - start) * 1000)
        return total
    finally:
        subprocess.run(["scancel", job], capture_output=True)

def step_outlives_srun():
    """Why one step cannot carry both the skylet's start and the first job: nothing runs on an
    allocation's nodes before a step does, and a step lives only as long as its srun. Seconds
    from killing (SIGKILL) a step's srun until its task stopped, in an allocation held apart."""
    alloc = subprocess.run(["salloc", "-N1", "--no-shell"], capture_output=True, text=True)
    job = alloc.stderr.strip().split()[-1] if alloc.returncode == 0 else ""
    if not job.isdigit():
        sys.exit(f"salloc failed: {alloc.stderr.strip()}")
    mark = f"{os.environ['HOME']}/step-alive-{job}"
    try:
        step = subprocess.Popen(
            ["srun", "--overlap", f"--jobid={job}", "-N1", "-n1", "--quiet", "bash", "-c",
             f"while :; do : > {mark}; sleep 0.05; done"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not os.path.exists(mark) and time.time() < deadline:
            time.sleep(0.01)
        step.kill()
        killed = time.time()
        while time.time() - os.path.getmtime(mark) < 0.5 and time.time() - killed < 30:
            time.sleep(0.05)
        step.wait()
        return os.path.getmtime(mark) - killed
    finally:
        subprocess.run(["scancel", job], capture_output=True)

bare, sky_ms, floors, downs, steps = [], [], [], [], []
for _ in range(runs):
    bare.append(srun())
    sky_ms.append(launch())
    floors.append(floor())
b, s, f = statistics.median(bare), statistics.median(sky_ms), statistics.median(floors)
ratio = s / b
print(f"{'srun -N2 hostname (bare Slurm)':<46} {b:>9.0f} ms")
print(f"{'sky launch -> first log line (2 nodes)':<46} {s:>9.0f} ms")
print(f"{'ratio':<46} {ratio:>11.2f}x  (target < 2x){'' if ratio < 2 else '  MISSED'}")
print(f"{'  Slurm alone: allocation, head step, job step':<46} {f:>9.0f} ms  ({f / b:.2f}x; Sky's own part {s - f:.0f} ms)")
print(f"{'  one step in a held allocation (srun -N2)':<46} {statistics.median(steps):>9.0f} ms")
print(f"{'sky down of that cluster (its job ended)':<46} {statistics.median(downs):>9.0f} ms")
# The task writes its mark every 50 ms: it was gone within that of its last write.
ended = max(0.0, step_outlives_srun()) * 1000 + 50
print(f"{'  a step after its srun is killed: task gone in':<46} {ended:>9.0f} ms  (a job run in the"
      " launch's own step would end with the sky command)")
PY

say "2/3: sky status -r of an UP 2-node Slurm cluster"
"$SKY" launch -y -c "$CLUSTER" "$WORK/task.yaml" >/dev/null 2>&1 || die "launch failed"
python3 "$ROOT/scripts/bench/measure.py" cmd "sky status -r (Slurm, 2 nodes)" 50 "$((RUNS * 4))" \
    -- "$SKY" status -r "$CLUSTER"
"$SKY" down -y "$CLUSTER" >/dev/null 2>&1

say "3/3: from outside the cluster (~/.slurm/config, login node over ssh, SLURM_CONF unset)"
if [ -z "${SLURM_TESTBED_LOGIN_CONFIG:-}" ] || [ ! -f "$SLURM_TESTBED_LOGIN_CONFIG" ]; then
    echo "login-node path: n/a (no login node in the test bed; Tests/testbed/slurm.sh up)"
elif [ ! -x "$AGENT" ]; then
    echo "login-node path: n/a ($AGENT missing)"
else
    mkdir -p "$HOME/.slurm"
    cp "$SLURM_TESTBED_LOGIN_CONFIG" "$HOME/.slurm/config"
    export SKY_SLURM_AGENT_BINARY="$AGENT"
    (
        unset SLURM_CONF
        # Warm-up: installs the agent and the skylet on the login node once.
        "$SKY" launch -y -c "$CLUSTER" "$WORK/task.yaml" >/dev/null 2>&1 || die "login-node warm-up launch failed"
        "$SKY" down -y "$CLUSTER" >/dev/null 2>&1
        python3 - "$SKY" "$WORK/task.yaml" "$CLUSTER" "$RUNS" <<'PY'
import statistics, subprocess, sys, time
sky, task, cluster, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ssh = ["ssh", "-F", __import__("os").environ["HOME"] + "/.slurm/config", "skytestbed"]

def srun():
    start = time.perf_counter()
    done = subprocess.run(ssh + ["srun -N2 --cpus-per-task=1 hostname"], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"srun over ssh failed: {done.stderr.strip()}")
    return (time.perf_counter() - start) * 1000

def launch():
    start = time.perf_counter()
    proc = subprocess.Popen([sky, "launch", "-y", "-c", cluster, task], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    first, output = None, []
    for line in proc.stdout:
        output.append(line)
        if first is None and "first line from rank" in line:
            first = (time.perf_counter() - start) * 1000
    proc.wait()
    subprocess.run([sky, "down", "-y", cluster], capture_output=True)
    if first is None:
        sys.exit("launch printed no task line:\n" + "".join(output[-20:]))
    return first

bare, sky_ms = [], []
for _ in range(runs):
    bare.append(srun())
    sky_ms.append(launch())
b, s = statistics.median(bare), statistics.median(sky_ms)
print(f"{'ssh login srun -N2 hostname (bare Slurm)':<46} {b:>9.0f} ms")
print(f"{'sky launch via login node -> first line':<46} {s:>9.0f} ms")
print(f"{'ratio':<46} {s / b:>11.2f}x  (target < 2x){'' if s / b < 2 else '  MISSED'}")
PY
        "$SKY" launch -y -c "$CLUSTER" "$WORK/task.yaml" >/dev/null 2>&1 || die "login-node launch failed"
        python3 "$ROOT/scripts/bench/measure.py" cmd "sky status -r (Slurm via login node)" 50 "$((RUNS * 4))" \
            -- "$SKY" status -r "$CLUSTER"
        # Down from the same side (the login node's user owns the job).
        "$SKY" down -y "$CLUSTER" >/dev/null 2>&1
    )
fi
