#!/usr/bin/env bash
# Benchmarks against the targets the issues set. Builds `sky`, `skylet` and `sky-bench` once
# (-c release --static-swift-stdlib, in their own scratch path .build/static: see build_static in
# lib.sh; NEVER build with --static-swift-stdlib into the default .build), prints its own figures,
# then runs every section script scripts/bench/*.sh (see "Section scripts" below). One line per
# figure:
#
#   name: X ms (target < Y ms) OK|MISSED  [cpu Z ms; ...]
#   name: n/a (reason) (target < Y ms)
#
# A figure is the median wall time of SKY_BENCH_RUNS runs of the command, timed by
# `sky-bench time` (Benchmarks/sky-bench): posix_spawn + wait4, so the figure is the command's
# own time (no shell, no Foundation Process polling); "cpu" is the median user + system time of
# the command (the figure to trust when other work loads the machine). The corpus figure is
# measured in-process by `sky-bench validate-corpus`.
#
# Section scripts (the convention other helpers follow): every executable or not
# scripts/bench/NAME.sh is run with bash after the figures above, in name order, as
#     SKY_BIN_DIR=<folder with sky, skylet, sky-bench> SKY_BENCH_RUNS=<runs> bash NAME.sh
# with SKY_HOME unset (a section makes its own throw-away home). A section prints its own
# figure lines (the format above) on stdout and its progress on stderr; when its test bed or
# tool is missing it exits non-zero with a reason on stderr: bench.sh then prints
# "NAME.sh: n/a (reason)" and goes on. SKY_BENCH_SECTIONS="slurm check" runs only those;
# SKY_BENCH_SECTIONS=none runs none. bench.sh exits 0 whenever it printed its figures (a MISSED
# or n/a figure is reported, not a failure); it exits 1 only when it cannot build or find `sky`.
#
# Options (environment):
#   SKY_BENCH_RUNS=10        runs per median
#   SKY_BENCH_BIN=path/sky   benchmark this binary instead of building (sky-bench must sit
#                            next to it, or set SKY_BENCH_TOOL=path/sky-bench)
#   SKY_BENCH_SSH=1          the SSH test bed section (default: on when the test bed env
#                            SKY_TESTBED_SSH_NODE_POOLS is set; `eval "$(Tests/testbed/sshpool.sh env)"`)
#   SKY_BENCH_STATUS_CLUSTERS=20   clusters in the state for the `sky status` figure
#   SKY_BENCH_SYNC_FILES=1000      files in the workdir of the sync figure
#   SKY_BENCH_SECTIONS             section scripts to run (names without .sh; default all)
set -uo pipefail

# Targets (ms), as the issues set them.
T_HELP=30             # issue 3: sky --help
T_VALIDATE=30         # issue 3: sky validate <typical task>
T_CORPUS=1000         # issue 3: all corpus files, in-process (SkyPilot: 5.9 s)
T_DRYRUN_GPU=50       # issue 4: sky launch --dryrun -o json, GPU request
T_DRYRUN_CPU=150      # issue 4: CPU-only request, every GCP and Azure type and region
T_STATUS=30           # issue 5: sky status, 20 clusters in the state
R_SSH_LAUNCH=2        # issue 5: 2-node launch of an empty task <= 2x the raw ssh round trips
T_EXEC_QUEUED=300     # issue 6: sky exec -d until the job is queued
T_FIRST_LINE=200      # issue 6: job start to first log line on the client
R_SYNC=2              # issue 6: workdir sync of unchanged files < 2x bare rsync -a
T_CHECK=200           # issue 7: sky check, nothing configured

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SKY_ROOT" || exit 1
RUNS="${SKY_BENCH_RUNS:-10}"
GPU_TASK="$SKY_ROOT/scripts/bench/gpu-task.yaml"
CPU_TASK="$SKY_ROOT/scripts/bench/cpu-task.yaml"

if [ -n "${SKY_BENCH_BIN:-}" ]; then
    SKY="$SKY_BENCH_BIN"
    BENCH="${SKY_BENCH_TOOL:-$(dirname "$SKY_BENCH_BIN")/sky-bench}"
else
    ensure_swift
    BIN="$(build_static release)" || die "static release build failed"
    say "swift build --static-swift-stdlib -c release --product sky-bench"
    swift build --static-swift-stdlib -c release --scratch-path "$SKY_STATIC_SCRATCH" \
        --product sky-bench >&2 || die "swift build of sky-bench failed"
    SKY="$BIN/sky"
    BENCH="$BIN/sky-bench"
fi
[ -x "$SKY" ] || die "no sky binary at $SKY"
[ -x "$BENCH" ] || die "no sky-bench binary at $BENCH"
BIN_DIR="$(cd "$(dirname "$SKY")" && pwd)"

CORPUS="$SKY_ROOT/Tests/Fixtures/corpus"

# Every figure runs against a throw-away state folder, never the user's ~/.sky.
WORK=$(mktemp -d /tmp/sky-bench.XXXXXX)
export SKY_HOME="$WORK/home"
mkdir -p "$SKY_HOME"
STATUS_HOME="$WORK/status-home"
SSH_HOME="$WORK/ssh-home"
cleanup() {
    local home
    for home in "$STATUS_HOME" "$SSH_HOME"; do
        if [ -d "$home" ]; then
            SKY_HOME="$home" timeout 120 "$SKY" down -a -y </dev/null >/dev/null 2>&1 || true
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

section() { printf '\n## %s\n' "$*"; }

# figure NAME MS TARGET_MS [NOTE]: one result line.
figure() {
    local verdict
    verdict=$(awk -v m="$2" -v t="$3" 'BEGIN { print (m < t) ? "OK" : "MISSED" }')
    printf '%s: %s ms (target < %s ms) %s%s\n' "$1" "$2" "$3" "$verdict" "${4:+  [$4]}"
}
# na NAME TARGET REASON: a figure that could not be taken (REASON may be "n/a (why)").
na() {
    local why="${3#n/a (}"
    [ "$why" = "$3" ] || why="${why%)}"
    printf '%s: n/a (%s) (target %s)\n' "$1" "$why" "$2"
}
# timed NAME TARGET_MS [sky-bench time options] -- COMMAND...: median wall time of a command,
# with its median CPU time as a note.
timed() {
    local name="$1" target="$2" out wall cpu
    shift 2
    out=$("$BENCH" time --cpu "$@" 2>&1) || true
    if [[ "$out" =~ ^([0-9.]+)\ ([0-9.]+)$ ]]; then
        wall=${BASH_REMATCH[1]}
        cpu=${BASH_REMATCH[2]}
        figure "$name" "$wall" "$target" "cpu $cpu ms"
    else
        na "$name" "< $target ms" "${out:-n/a (sky-bench printed nothing)}"
    fi
}
# ratio NAME MS BASE_MS MAX_RATIO BASE_LABEL [MORE]: a figure measured against a baseline.
ratio() {
    local r limit
    r=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", a / b }')
    limit=$(awk -v b="$3" -v k="$4" 'BEGIN { printf "%.1f", b * k }')
    figure "$1" "$2" "$limit" "$5: $3 ms; ratio ${r}x, target <= ${4}x${6:+; $6}"
}
# median_ms COMMAND...: sky-bench time's bare number (or nothing when the command failed).
median_ms() { "$BENCH" time "$@" 2>/dev/null | grep -E '^[0-9.]+$' || true; }

echo "sky benchmarks: $SKY"
echo "$(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $RUNS runs per median"

section "Issue 3: CLI start-up and task parsing"
timed "sky --help" "$T_HELP" --runs "$RUNS" -- "$SKY" --help
timed "sky validate (typical task)" "$T_VALIDATE" --runs "$RUNS" -- "$SKY" validate "$GPU_TASK"
out=$("$BENCH" validate-corpus --yamls "$CORPUS/yamls" --expected "$CORPUS/expected" 2>&1) || true
if [[ "$out" == total_ms=* ]]; then
    declare -A c=()
    for kv in $out; do c[${kv%%=*}]=${kv#*=}; done
    figure "validate whole corpus, in-process (SkyPilot: 5.9 s)" "${c[total_ms]}" "$T_CORPUS" \
        "${c[files]} files, median ${c[median_ms]} ms/file, ${c[valid]} valid, ${c[invalid]} invalid; warm pass ${c[warm_total_ms]:-?} ms"
else
    na "validate whole corpus, in-process (SkyPilot: 5.9 s)" "< $T_CORPUS ms" "$out"
fi

section "Issue 4: optimizer dry runs (SKY_ENABLED_CLOUDS=gcp,azure,lambda)"
DRY=(launch --dryrun -y -o json)
DRY_LABEL="sky launch --dryrun -o json"
export SKY_ENABLED_CLOUDS=gcp,azure,lambda
timed "$DRY_LABEL, GPU request" "$T_DRYRUN_GPU" --runs "$RUNS" -- "$SKY" "${DRY[@]}" "$GPU_TASK"
timed "$DRY_LABEL, CPU-only request" "$T_DRYRUN_CPU" --runs "$RUNS" -- "$SKY" "${DRY[@]}" "$CPU_TASK"
unset SKY_ENABLED_CLOUDS

section "Issue 5: state"
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
    SKY_HOME="$STATUS_HOME" timed "sky status ($N clusters in state)" "$T_STATUS" --runs "$RUNS" \
        -- "$SKY" status
else
    why=$(grep -m1 -iE 'error|fail|not available' "$WORK/seed.log" | cut -c1-70)
    na "sky status ($N clusters in state)" "< $T_STATUS ms" \
        "could not create $N clusters: ${why:-sky launch -c bench-$((seeded + 1)) failed}"
fi

# The SSH test bed figures of issues 5 and 6.
ssh_section() {
    local cfg="$SKY_TESTBED_SSH_CONFIG" nodes t_ssh t1 t2 launch_ms first name out
    read -r -a nodes <<<"${SKY_TESTBED_SSH_NODES:-node1 node2}"
    mkdir -p "$SSH_HOME/wrap"
    cp "$SKY_TESTBED_SSH_NODE_POOLS" "$SSH_HOME/ssh_node_pools.yaml"
    export SKY_HOME="$SSH_HOME"
    # Counts the ssh connections sky opens (ssh and rsync -e ssh find `ssh` on PATH).
    printf '#!/bin/sh\necho "$*" >>"%s"\nexec %s "$@"\n' "$WORK/ssh.log" "$(command -v ssh)" \
        >"$SSH_HOME/wrap/ssh"
    chmod +x "$SSH_HOME/wrap/ssh"
    local SKYW=(env "PATH=$SSH_HOME/wrap:$PATH" "$SKY")
    local POOL=(--infra ssh/skytestbed)

    # Raw round trip: a cold ssh (no ControlMaster) to the test bed hosts.
    t1=$(median_ms --runs 5 -- ssh -F "$cfg" -o ControlMaster=no -o ControlPath=none "${nodes[0]}" true)
    t2=$(median_ms --runs 5 -- ssh -F "$cfg" -o ControlMaster=no -o ControlPath=none "${nodes[1]:-${nodes[0]}}" true)
    if [ -z "$t1" ] || [ -z "$t2" ]; then
        na "sky launch, 2 nodes, empty task" "<= ${R_SSH_LAUNCH}x ssh round trips" "ssh to the test bed failed"
        return
    fi
    t_ssh=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", a + b }')
    echo "raw round trips: ssh -F \$SKY_TESTBED_SSH_CONFIG nodeX true (cold, no ControlMaster):" \
        "${nodes[0]} $t1 ms, ${nodes[1]:-${nodes[0]}} $t2 ms; 2 x round trip = $t_ssh ms"

    name="sky launch, 2 nodes, empty task (new cluster)"
    # A first launch installs skylet on the hosts; the measured one is the second.
    "${SKYW[@]}" launch -y -c bench-warm "${POOL[@]}" --num-nodes 2 </dev/null >"$WORK/l0.log" 2>&1 || true
    "$SKY" down -y bench-warm </dev/null >/dev/null 2>&1 || true
    : >"$WORK/ssh.log"
    out=$("$BENCH" time --runs 1 --no-warmup -- "${SKYW[@]}" launch -y -c bench-multi "${POOL[@]}" \
        --num-nodes 2 2>&1) || true
    if [[ "$out" =~ ^[0-9.]+$ ]]; then
        launch_ms=$out
        local calls masters plain
        calls=$(wc -l <"$WORK/ssh.log")
        masters=$(grep -cE 'ControlMaster=(auto|yes)' "$WORK/ssh.log" || true)
        plain=$(grep -cv 'ControlPath=' "$WORK/ssh.log" || true)
        # The round trips it needs: one per node (check/install skylet, start it, submit).
        ratio "$name" "$launch_ms" "$t_ssh" "$R_SSH_LAUNCH" \
            "raw ssh round trips it needs (2 x 1 per node)" \
            "sky ran ssh $calls times: $masters ControlMasters, $plain without one, the rest multiplexed"
    else
        na "$name" "<= ${R_SSH_LAUNCH}x 2 ssh round trips" "$out"
    fi
    "$SKY" down -y bench-multi </dev/null >/dev/null 2>&1 || true

    # Issue 6 on a 1-node cluster.
    if ! "$SKY" launch -y -c bench-ssh "${POOL[@]}" </dev/null >"$WORK/l1.log" 2>&1; then
        why=$(grep -m1 -iE 'error|fail' "$WORK/l1.log" | cut -c1-70)
        for name in "sky exec -d (until queued)" "job start to first log line" "workdir sync"; do
            na "$name" "-" "1-node launch failed: ${why:-see sky launch}"
        done
        return
    fi
    local exec_ms
    exec_ms=$(median_ms --runs 5 -- "$SKY" exec -d bench-ssh -- true)
    if [ -n "$exec_ms" ]; then
        figure "sky exec -d on an UP 1-node cluster (until queued)" "$exec_ms" "$T_EXEC_QUEUED"
    else
        timed "sky exec -d on an UP 1-node cluster (until queued)" "$T_EXEC_QUEUED" --runs 1 \
            -- "$SKY" exec -d bench-ssh -- true
    fi
    out=$("$BENCH" first-line --match SKYBENCH_FIRST -- "$SKY" exec bench-ssh -- echo SKYBENCH_FIRST 2>&1) || true
    if [[ "$out" == first_ms=* ]]; then
        first=${out#first_ms=}; first=${first%% *}
        # Client-side, job start cannot be seen apart from queueing: the figure is submit to
        # first line against both budgets (queued < 300 ms + start to first line < 200 ms).
        figure "sky exec to first log line (queued + job start to first line)" "$first" \
            "$((T_EXEC_QUEUED + T_FIRST_LINE))" "exec -d until queued: ${exec_ms:-?} ms"
    else
        na "job start to first log line" "< $T_FIRST_LINE ms" "$out"
    fi

    # Workdir sync of unchanged small files vs a bare rsync -a of the same tree to the same host.
    local files="${SKY_BENCH_SYNC_FILES:-1000}" tree="$WORK/tree" host sync_ms rsync_ms
    mkdir -p "$tree"
    for i in $(seq 1 "$files"); do echo "file $i" >"$tree/f$i.txt"; done
    # The cluster's host (its IP in `sky status -o json`) by its name in the ssh config.
    local ips ip k
    read -r -a ips <<<"${SKY_TESTBED_SSH_IPS:-}"
    ip=$("$SKY" status -o json bench-ssh 2>/dev/null | grep -oE '10\.77\.0\.[0-9]+' | head -1 || true)
    host="${nodes[0]}"
    for k in "${!ips[@]}"; do [ "${ips[$k]}" = "$ip" ] && host="${nodes[$k]}"; done
    local RSYNC=(rsync -a -e "ssh -F $cfg -o ControlMaster=no -o ControlPath=none" "$tree/")
    local dest="$host:sky-bench-rsync/"
    "${RSYNC[@]}" "$dest" >/dev/null 2>&1 || true
    rsync_ms=$(median_ms --runs 3 -- "${RSYNC[@]}" "$dest")
    "$SKY" exec -d --workdir "$tree" bench-ssh -- true </dev/null >/dev/null 2>&1 || true
    sync_ms=$(median_ms --runs 3 -- "$SKY" exec -d --workdir "$tree" bench-ssh -- true)
    name="sky exec -d --workdir ($files unchanged files)"
    if [ -n "$sync_ms" ] && [ -n "$rsync_ms" ]; then
        ratio "$name" "$sync_ms" "$rsync_ms" "$R_SYNC" "bare rsync -a of the tree to $host (cold ssh)" \
            "sky exec -d without workdir: ${exec_ms:-?} ms"
    else
        na "$name" "< ${R_SYNC}x bare rsync" "sky exec --workdir or rsync failed"
    fi
    ssh -F "$cfg" "$host" rm -rf sky-bench-rsync </dev/null >/dev/null 2>&1 || true
    "$SKY" down -y bench-ssh </dev/null >/dev/null 2>&1 || true
}

section "Issues 5 and 6: SSH test bed (pool skytestbed)"
if [ "${SKY_BENCH_SSH:-}" = 0 ]; then
    echo "(skipped: SKY_BENCH_SSH=0)"
elif [ -z "${SKY_TESTBED_SSH_NODE_POOLS:-}" ]; then
    na "sky launch, 2 nodes, empty task" "<= ${R_SSH_LAUNCH}x ssh round trips" \
        "no SSH test bed: eval \"\$(Tests/testbed/sshpool.sh env)\" first"
else
    (ssh_section)
fi

section "Issue 7: sky check"
EMPTY="$WORK/empty-home"
mkdir -p "$EMPTY"
HOME="$EMPTY" SKY_HOME="$EMPTY/.sky" timed "sky check (nothing configured)" "$T_CHECK" \
    --runs "$RUNS" -- "$SKY" check

# Section scripts of the other backends and features (see the header for the convention).
run_sections() {
    local script name wanted out status why
    for script in "$SKY_ROOT"/scripts/bench/*.sh; do
        [ -f "$script" ] || continue
        name=$(basename "$script" .sh)
        wanted="${SKY_BENCH_SECTIONS:-all}"
        if [ "$wanted" != all ] && [[ " $wanted " != *" $name "* ]]; then continue; fi
        section "scripts/bench/$name.sh"
        : >"$WORK/section.err"
        ( unset SKY_HOME; SKY_BIN_DIR="$BIN_DIR" SKY_BENCH_RUNS="${SKY_BENCH_RUNS:-}" \
            bash "$script" </dev/null 2>"$WORK/section.err" )
        status=$?
        if [ "$status" != 0 ]; then
            why=$(grep -v '^==> [^E]' "$WORK/section.err" | grep -v '^\s*$' | tail -1 | sed 's/^==> ERROR: //' | cut -c1-140)
            echo "$name.sh: n/a (exit $status: ${why:-no message})"
        fi
    done
}
if [ "${SKY_BENCH_SECTIONS:-all}" != none ]; then run_sections; fi
exit 0
