#!/usr/bin/env bash
# Benchmarks: builds `sky` once (-c release --static-swift-stdlib), then prints one figure per
# line next to its target, e.g. `sky --help   12.3 ms  (target < 30 ms)`; "MISSED" marks a figure
# over its target, and a command that is not implemented yet (or fails) shows "n/a (why)".
# Medians of SKY_BENCH_RUNS runs (hyperfine when installed, else a Python timing loop).
#
# Options (environment):
#   SKY_BENCH_RUNS=10        runs per median
#   SKY_BENCH_BIN=path/sky   benchmark this binary instead of building (e.g. a debug build)
#   SKY_BENCH_SSH=1          also the SSH test bed section (needs root; starts
#                            Tests/testbed/sshpool.sh unless SKY_TESTBED_SSH_NODE_POOLS is set)
#   SKY_BENCH_STATUS_CLUSTERS=20   clusters in the state for the `sky status` figure
#   SKY_BENCH_TIMEOUT=300    seconds one command may take before it counts as "n/a"
set -euo pipefail

# Targets (ms). Project targets; change them here.
T_HELP=30             # sky --help
T_VALIDATE=50         # sky validate <typical GPU task>
T_CORPUS=20000        # sky validate of every corpus file, one process each (total)
T_DRYRUN_GPU=200      # sky launch --dryrun -o json, GPU task, clouds gcp,azure,lambda
T_DRYRUN_CPU=200      # same, CPU-only task
T_STATUS=100          # sky status with SKY_BENCH_STATUS_CLUSTERS clusters in the state
T_SSH_LAUNCH=15000    # SSH test bed: sky launch examples/hello.yaml on 1 host (new cluster)
T_SSH_EXEC=2000       # SSH test bed: sky exec on that UP cluster
T_SSH_MULTI=20000     # SSH test bed: sky launch examples/multinode.yaml (2 hosts)
T_SSH_DOWN=5000       # SSH test bed: sky down of one cluster

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SKY_ROOT"
export PYTHONDONTWRITEBYTECODE=1
RUNS="${SKY_BENCH_RUNS:-10}"
MEASURE=(python3 "$SKY_ROOT/scripts/bench/measure.py")
GPU_TASK="$SKY_ROOT/scripts/bench/gpu-task.yaml"
CPU_TASK="$SKY_ROOT/scripts/bench/cpu-task.yaml"

if [ -n "${SKY_BENCH_BIN:-}" ]; then
    SKY="$SKY_BENCH_BIN"
else
    ensure_swift
    SKY="$(build_static release)/sky"
fi
[ -x "$SKY" ] || die "no sky binary at $SKY"

CORPUS="$SKY_ROOT/Tests/Fixtures/corpus/yamls"
[ -d "$CORPUS" ] || CORPUS="$SKY_ROOT/../shared/corpus/yamls"

# Every figure runs against a throw-away state folder, never the user's ~/.sky.
WORK=$(mktemp -d /tmp/sky-bench.XXXXXX)
export SKY_HOME="$WORK/home"
mkdir -p "$SKY_HOME"
STATUS_HOME="$WORK/status-home"
SSH_HOME="$WORK/ssh-home"
SSH_STARTED=0
cleanup() {
    local home
    for home in "$STATUS_HOME" "$SSH_HOME"; do
        if [ -d "$home" ]; then
            SKY_HOME="$home" timeout 120 "$SKY" down -a -y </dev/null >/dev/null 2>&1 || true
        fi
    done
    if [ "$SSH_STARTED" = 1 ]; then
        "$SKY_ROOT/Tests/testbed/sshpool.sh" down >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

section() { printf '\n## %s\n' "$*"; }

echo "sky benchmarks: $SKY"
echo "$(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $RUNS runs per median"

section "CLI start-up and task parsing"
"${MEASURE[@]}" cmd "sky --help" "$T_HELP" "$RUNS" -- "$SKY" --help
"${MEASURE[@]}" cmd "sky validate (typical GPU task)" "$T_VALIDATE" "$RUNS" \
    -- "$SKY" validate "$GPU_TASK"
"${MEASURE[@]}" files "sky validate, whole corpus" "$T_CORPUS" "$CORPUS/*.y*ml" \
    -- "$SKY" validate

section "Optimizer (dry runs; SKY_ENABLED_CLOUDS=gcp,azure,lambda)"
DRY=(launch --dryrun -y -o json)
DRY_LABEL="sky launch --dryrun -o json"
if ! "$SKY" launch --help 2>&1 | grep -qE -- '-o, --output|--output'; then
    DRY=(launch --dryrun -y)   # this build's launch has no -o: time the table output instead
    DRY_LABEL="sky launch --dryrun (no -o yet)"
fi
SKY_ENABLED_CLOUDS=gcp,azure,lambda "${MEASURE[@]}" cmd "$DRY_LABEL (GPU)" \
    "$T_DRYRUN_GPU" "$RUNS" -- "$SKY" "${DRY[@]}" "$GPU_TASK"
SKY_ENABLED_CLOUDS=gcp,azure,lambda "${MEASURE[@]}" cmd "$DRY_LABEL (CPU)" \
    "$T_DRYRUN_CPU" "$RUNS" -- "$SKY" "${DRY[@]}" "$CPU_TASK"

section "State (local backend)"
N="${SKY_BENCH_STATUS_CLUSTERS:-20}"
mkdir -p "$STATUS_HOME"
seeded=0
for i in $(seq 1 "$N"); do
    # clusters on the local machine (no infra, no cloud enabled), each with one finished job
    if SKY_HOME="$STATUS_HOME" timeout 60 "$SKY" launch -y -d -c "bench-$i" -- true \
        </dev/null >"$WORK/seed.log" 2>&1; then
        seeded=$((seeded + 1))
    else
        break
    fi
done
if [ "$seeded" = "$N" ]; then
    SKY_HOME="$STATUS_HOME" "${MEASURE[@]}" cmd "sky status ($N clusters)" "$T_STATUS" "$RUNS" \
        -- "$SKY" status
else
    why=$(grep -m1 -iE 'error|fail|not available' "$WORK/seed.log" | cut -c1-70)
    [ -n "$why" ] || why="sky launch -c bench-$((seeded + 1)) failed or took over 60 s"
    printf '%-46s %12s  (target < %s ms)  (could not create %s clusters: %s)\n' \
        "sky status ($N clusters)" n/a "$T_STATUS" "$N" "$why"
fi

section "SSH test bed (SKY_BENCH_SSH=1; pool skytestbed from Tests/testbed/sshpool.sh)"
if [ "${SKY_BENCH_SSH:-0}" = 1 ]; then
    if [ -z "${SKY_TESTBED_SSH_NODE_POOLS:-}" ]; then
        "$SKY_ROOT/Tests/testbed/sshpool.sh" up 4 </dev/null >&2 && SSH_STARTED=1
        eval "$("$SKY_ROOT/Tests/testbed/sshpool.sh" env)"
    fi
    mkdir -p "$SSH_HOME"
    cp "$SKY_TESTBED_SSH_NODE_POOLS" "$SSH_HOME/ssh_node_pools.yaml"
    export SKY_HOME="$SSH_HOME"
    POOL=(--infra ssh/skytestbed)
    if "${MEASURE[@]}" once "sky launch hello.yaml (1 host, new)" "$T_SSH_LAUNCH" \
        -- "$SKY" launch -y -c bench-ssh "${POOL[@]}" examples/hello.yaml; then
        "${MEASURE[@]}" cmd "sky exec (UP cluster)" "$T_SSH_EXEC" 3 \
            -- "$SKY" exec bench-ssh -- echo hi
        "${MEASURE[@]}" once "sky down (1 host)" "$T_SSH_DOWN" -- "$SKY" down -y bench-ssh
    fi
    "${MEASURE[@]}" once "sky launch multinode.yaml (2 hosts)" "$T_SSH_MULTI" \
        -- "$SKY" launch -y -c bench-multi "${POOL[@]}" examples/multinode.yaml || true
    "$SKY" down -y bench-multi </dev/null >/dev/null 2>&1 || true
else
    echo "(skipped; run as root with SKY_BENCH_SSH=1)"
fi

section "Slurm / Kubernetes test beds"
echo "(not measured yet: add launch figures on Tests/testbed/slurm.sh and k8s.sh here)"
