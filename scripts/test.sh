#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine (as root) or a developer checkout:
#   1. installs the missing apt packages (apt-get update first),
#   2. builds `sky` and `skylet` with --static-swift-stdlib (debug),
#   3. starts the test beds the tests use (Tests/testbed/*.sh), exports their settings,
#   4. runs `swift test` (every test target), then, on the Slurm bed restarted with cgroup
#      process tracking, the suites written for that; stops the beds it started (trap),
#   5. builds the release configuration and launches examples/hello.yaml with it (smoke),
#   6. exits with swift test's exit code (non-zero also when a needed bed failed to start or
#      the release smoke failed).
#
# Options (environment):
#   SKY_TESTBEDS="sshpool slurm"  start exactly these beds ("none": no bed); default: every bed
#                                 in TESTBEDS below whose variables some test reads
#   SKY_TESTBED_KEEP=1            leave the beds running afterwards
#   SKY_TEST_ARGS="--filter X"    extra arguments for swift test
#   SKY_TEST_TIMEOUT=60m          time limit of swift test (GNU timeout syntax)
#   SKY_TEST_PARALLEL=3           test cases run at once
#   SKY_TEST_RELEASE=0            skip the release smoke
#   TESTBED_DIR                   state of the beds (default /tmp/skytestbed)
set -uo pipefail

# bed | arguments of `up` | regex of the variables that mark a test needing the bed.
# Convention: an integration test checks for its bed's variable (below) and skips itself with a
# message naming the bed when it is not set; a bed is started only if some Swift file under
# Tests/ mentions that variable. Add a bed by adding a line.
TESTBEDS=(
    "sshpool|up 12|SKY_TESTBED_SSH_"
    "slurm|up|SLURM_TESTBED_|SLURM_CONF"
    "k8s|up|K8S_API_URL|K8S_TESTBED_|KUBECONFIG"
    "aws|up|AWS_ENDPOINT_URL"
    "gcs|up|STORAGE_EMULATOR_HOST"
)

# The Kubernetes bed runs a real kubelet node with 2 fake GPUs (its pods really run), ...
export TESTBED_K8S_KUBELET="${TESTBED_K8S_KUBELET:-1}"
export TESTBED_K8S_NODE_GPUS="${TESTBED_K8S_NODE_GPUS:-2}"
# ... labelled as NVIDIA GPU feature discovery labels a T4 node (GPU placement tests).
export TESTBED_K8S_NODE_LABELS="${TESTBED_K8S_NODE_LABELS:-nvidia.com/gpu.product=NVIDIA-Tesla-T4}"

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SKY_ROOT" || exit 1
TB="$SKY_ROOT/Tests/testbed"
STARTED=()       # beds this run brought up (stopped by the trap)
BED_FAILURES=()  # beds some test needs that did not come up

# GNU timeout's duration (90, 90s, 60m, 2h) in seconds.
limit_seconds() {
    local n=${1%[smhd]}
    case "$1" in
        *m) echo $((n * 60)) ;; *h) echo $((n * 3600)) ;; *d) echo $((n * 86400)) ;; *) echo "$n" ;;
    esac
}

# Swift Testing's test names that printed "started" and neither "passed", "failed" nor "skipped".
unfinished_tests() {
    awk '/ Test .* started\.$/ { sub(/.* Test /, ""); sub(/ started\.$/, ""); open[$0] = 1 }
         / Test .* (passed|failed) after / { sub(/.* Test /, ""); sub(/ (passed|failed) after .*/, ""); delete open[$0] }
         END { for (t in open) print t }' "$1"
}

bed_field() { cut -d'|' -f"$2" <<<"$1"; }
bed_pattern() { cut -d'|' -f3- <<<"$1"; }

# True if a Swift test file (Tests/ outside the beds' own folder) reads one of the variables.
bed_needed() {
    grep -rqE --include='*.swift' --exclude-dir=testbed "$1" Tests 2>/dev/null
}

wanted_beds() {
    local entry name
    for entry in "${TESTBEDS[@]}"; do
        name=$(bed_field "$entry" 1)
        if [ -n "${SKY_TESTBEDS:-}" ]; then
            [[ " $SKY_TESTBEDS " == *" $name "* ]] && echo "$name"
        elif bed_needed "$(bed_pattern "$entry")"; then
            echo "$name"
        fi
    done
}

start_bed() {
    local name="$1" entry up_args
    for entry in "${TESTBEDS[@]}"; do
        [ "$(bed_field "$entry" 1)" = "$name" ] && up_args=$(bed_field "$entry" 2)
    done
    if "$TB/$name.sh" status >/dev/null 2>&1; then
        say "test bed $name: already running (left running afterwards); $name.sh $up_args"
        # `up` is idempotent: on a running bed it only brings it to the size the tests need
        # (an SSH pool started with fewer hosts gets the missing ones).
        # shellcheck disable=SC2086  # up_args is a list of words
        "$TB/$name.sh" $up_args </dev/null >&2 || warn "test bed $name: '$name.sh $up_args' failed"
    else
        say "test bed $name: $name.sh $up_args"
        STARTED+=("$name")
        # shellcheck disable=SC2086  # up_args is a list of words
        if ! "$TB/$name.sh" $up_args </dev/null >&2; then
            warn "test bed $name did not start; tests that need it will skip themselves"
            BED_FAILURES+=("$name")
            return 0
        fi
    fi
    local envs
    if envs=$("$TB/$name.sh" env) && eval "$envs"; then
        say "test bed $name: $(grep -o 'export [A-Z0-9_]*' <<<"$envs" | cut -d' ' -f2 | tr '\n' ' ')"
    else
        warn "test bed $name: '$name.sh env' failed"
        BED_FAILURES+=("$name")
    fi
}

stop_beds() {
    local i name
    [ "${SKY_TESTBED_KEEP:-0}" = 1 ] && { say "SKY_TESTBED_KEEP=1: beds left running"; return; }
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
        name=${STARTED[$i]}
        say "test bed $name: down"
        "$TB/$name.sh" down </dev/null >&2 || warn "$name.sh down failed"
    done
    STARTED=()
}
# Processes still in swift test's session (see RUNNER below): TERM, then KILL after 5 s.
stop_leftovers() {
    local sid pids try
    [ -s "$SID_FILE" ] || return 0
    sid=$(tr -dc '0-9' <"$SID_FILE")
    for try in 1 2 3 4 5 6; do
        pids=$(ps -eo pid=,sid= | awk -v s="$sid" '$2 == s {print $1}')
        [ -n "$pids" ] || break
        # shellcheck disable=SC2086  # a list of pids
        [ "$try" = 1 ] && say "stopping what is left of swift test:" \
            && ps -o pid=,args= -p $pids | cut -c1-200 | sed 's/^/    /' >&2
        # shellcheck disable=SC2086  # a list of pids
        kill -TERM $pids 2>/dev/null
        sleep 1
    done
    # shellcheck disable=SC2086
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
    rm -f "$SID_FILE"
}
WORK=$(mktemp -d /tmp/sky-test.XXXXXX)
SID_FILE="$WORK/sid"
LOG="$WORK/swift-test.log"
trap 'stop_leftovers; stop_beds; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

T0=$SECONDS
ensure_swift
install_deps
BIN_DIR=$(build_static debug) || exit 1
# The engine (and the skylet tests) install this skylet on nodes; CLI tests run .build/debug/sky.
export SKY_TEST_BIN_DIR="$BIN_DIR" SKY_SKYLET_BINARY="$BIN_DIR/skylet"
say "static sky and skylet in $BIN_DIR (SKY_TEST_BIN_DIR; SKY_SKYLET_BINARY=$SKY_SKYLET_BINARY)"

if [ "${SKY_TESTBEDS:-}" = none ]; then
    say "SKY_TESTBEDS=none: no test bed started"
else
    [ "$(id -u)" = 0 ] || warn "not root: test beds need root and will fail to start"
    for bed in $(wanted_beds); do start_bed "$bed"; done
fi

LIMIT="${SKY_TEST_TIMEOUT:-60m}"
# At most this many test cases at once. Unbounded, every test's task is queued on the
# concurrency pool at the start (2 threads on a 2-core machine), so a test's own deadlines
# (a probe's 10 s, a launch's limit) run out while it waits behind hundreds of others.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SKY_TEST_PARALLEL:-3}"
# Without a terminal, swift test runs in a session of its own (SID_FILE holds its id), so that
# whatever is left of it afterwards (the test runner sits in its own process group, out of
# timeout's reach) can be stopped; at a terminal, --foreground keeps Ctrl-C working.
# stdbuf: the test runner's output is line-buffered, so progress shows while it runs.
# shellcheck disable=SC2016  # $$ and $@ belong to the inner bash
RUNNER=(setsid -w bash -c 'echo $$ >"$0"; exec "$@"' "$SID_FILE" timeout -k 30s "$LIMIT")
[ -t 0 ] && RUNNER=(timeout --foreground -k 30s "$LIMIT")
say "swift test ${SKY_TEST_ARGS:-} (time limit $LIMIT; $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GiB)"
# A minute before the limit, the process tree is saved: if a test hangs, the summary names
# the tests that never ended and shows what they were waiting on.
( sleep $(( $(limit_seconds "$LIMIT") - 60 )) && ps -eo pid,ppid,etimes,args --forest \
    | grep -v ' \[' | cut -c1-200 | tail -150 >"$WORK/ps-before-limit" ) </dev/null >/dev/null 2>&1 &
WATCHER=$!
# shellcheck disable=SC2086  # SKY_TEST_ARGS is a list of words
"${RUNNER[@]}" stdbuf -oL -eL swift test ${SKY_TEST_ARGS:-} </dev/null 2>&1 | tee "$LOG"
RC=${PIPESTATUS[0]}
pkill -P "$WATCHER" 2>/dev/null; kill "$WATCHER" 2>/dev/null
if [ "$RC" = 124 ]; then
    warn "swift test hit the time limit ($LIMIT); tests that started and never ended:"
    unfinished_tests "$LOG" | sed 's/^/    /' >&2
    [ -s "$WORK/ps-before-limit" ] && { warn "processes a minute before the limit:"; cat "$WORK/ps-before-limit" >&2; }
fi

stop_leftovers

# Second pass: Slurm with cgroup process tracking. The Slurm bed this run started comes back
# with SLURM_PROCTRACK=cgroup and the suites written for it (they skip themselves on the first
# pass's linuxproc bed) run there. In a full run, or one whose SKY_TEST_ARGS names them.
CGROUP_SUITES="LifecycleSlurmCgroupTests"
LOG2="$WORK/swift-test-cgroup.log"
if [ "$RC" != 124 ] && [[ " ${STARTED[*]} " == *" slurm "* ]] \
    && { [ -z "${SKY_TEST_ARGS:-}" ] || [[ "$SKY_TEST_ARGS" == *Cgroup* ]]; }; then
    if ! grep -qE '^freezer[[:space:]].*1$' /proc/cgroups; then
        warn "no cgroup v1 freezer controller here: $CGROUP_SUITES not run"
    else
        say "test bed slurm: restarted with SLURM_PROCTRACK=cgroup for $CGROUP_SUITES"
        "$TB/slurm.sh" down </dev/null >&2
        if SLURM_PROCTRACK=cgroup "$TB/slurm.sh" up </dev/null >&2 \
            && envs=$("$TB/slurm.sh" env) && eval "$envs"; then
            "${RUNNER[@]}" stdbuf -oL -eL swift test --skip-build --filter "$CGROUP_SUITES" \
                </dev/null 2>&1 | tee "$LOG2"
            RC2=${PIPESTATUS[0]}
            [ "$RC" = 0 ] && RC=$RC2
            stop_leftovers
        else
            warn "the Slurm bed did not start with cgroup tracking"
            BED_FAILURES+=("slurm-cgroup")
        fi
    fi
fi

stop_beds

# Release smoke: the optimized build (what scripts/bench.sh measures and what users ship)
# launches examples/hello.yaml on this machine and takes it down. Every test above runs the
# debug build, and an optimizer-only crash passed them all once (an optional closure held in a
# TaskLocal: every release `sky launch` segfaulted). In a full run; SKY_TEST_RELEASE=0 skips it.
release_smoke() {
    local rel home out status
    rel=$(build_static release) || { warn "release build failed"; return 1; }
    home=$(mktemp -d /tmp/sky-release-smoke.XXXXXX)
    out=$(HOME="$home" SKY_HOME="$home/.sky" SKY_SKYLET_BINARY="$rel/skylet" \
        "$rel/sky" launch -y -c release-smoke --infra local examples/hello.yaml </dev/null 2>&1)
    status=$?
    HOME="$home" SKY_HOME="$home/.sky" "$rel/sky" down -y release-smoke </dev/null >/dev/null 2>&1
    rm -rf "$home"
    if [ "$status" != 0 ] || ! grep -q "Hello from Sky" <<<"$out"; then
        warn "release smoke failed (exit status $status):"
        tail -20 <<<"$out" >&2
        return 1
    fi
}
SMOKE=""
if [ "$RC" != 124 ] && [ -z "${SKY_TEST_ARGS:-}" ] && [ "${SKY_TEST_RELEASE:-1}" != 0 ]; then
    say "release smoke: build_static release, then sky launch --infra local examples/hello.yaml"
    if release_smoke; then SMOKE="passed"; else SMOKE="FAILED"; [ "$RC" = 0 ] && RC=1; fi
fi

echo
echo "==> summary: swift test exit code $RC, $((SECONDS - T0)) s in all"
[ -n "$SMOKE" ] && echo "==> release smoke (optimized build launches on the local machine): $SMOKE"
if grep -aqE 'Test run with|Executed [0-9]+ tests?' "$LOG"; then
    grep -aE 'Executed [0-9]+ tests?' "$LOG" | tail -1         # XCTest
    grep -aE 'Test run with [0-9]+ tests?' "$LOG" | tail -1    # Swift Testing
    [ -s "$LOG2" ] && grep -aE 'Test run with [0-9]+ tests?' "$LOG2" | tail -1 | sed 's/^/cgroup pass: /'
else
    echo "==> no test ran (the test build failed? see the errors above)"
fi
if [ "${#BED_FAILURES[@]}" -gt 0 ]; then
    echo "==> test beds that failed to start: ${BED_FAILURES[*]}"
    [ "$RC" = 0 ] && RC=1
fi
exit "$RC"
