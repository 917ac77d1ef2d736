#!/usr/bin/env bash
# Operator figures (issue #9), on the Kubernetes testbed (Tests/testbed/k8s.sh up) and the SSH
# pool (Tests/testbed/sshpool.sh up 12; host 10, one of the operator suites' hosts: do not run
# this while SkyOperatorTests run), the operator running out of cluster:
#   1. `kubectl apply` of a SkyJob on an UP SkyCluster until its status says Running
#      (target < 1 s), each run and the median;
#   2. operator CPU per resync with 100 idle custom resources (100 Up SkyClusters sharing
#      one Sky cluster through spec.clusterName; target < 100 ms of CPU per resync), read from
#      /proc/<pid>/stat over several resync periods, with the idle baseline (lease renewals,
#      watches) measured the same way and subtracted.
#
# Binaries: $SKY_BIN_DIR/{sky-operator,skylet} when set, else `swift build` of both
# (SKY_BENCH_CONFIG=release|debug, default debug: the figures say which).
# Env: SKY_BENCH_RUNS (default 5) runs of figure 1; SKY_BENCH_RESYNCS (default 3);
# SKY_BENCH_KEEP_LOG=FILE keeps the operator's log (SKY_OPERATOR_LOG_LEVEL=debug: per-reconcile ms).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$ROOT/scripts/lib.sh"

[ -n "${KUBECONFIG:-}" ] || eval "$("$ROOT/Tests/testbed/k8s.sh" env 2>/dev/null)" || true
[ -n "${SKY_TESTBED_SSH_KEY:-}" ] || eval "$("$ROOT/Tests/testbed/sshpool.sh" env 2>/dev/null)" || true
[ -n "${KUBECONFIG:-}" ] && [ -f "$KUBECONFIG" ] || die "no Kubernetes testbed: Tests/testbed/k8s.sh up"
[ -n "${SKY_TESTBED_SSH_KEY:-}" ] || die "no SSH testbed: Tests/testbed/sshpool.sh up 12"
KUBECTL="${KUBECTL:-kubectl}"
CONFIG="${SKY_BENCH_CONFIG:-debug}"
if [ -z "${SKY_BIN_DIR:-}" ]; then
    (cd "$ROOT" && swift build -c "$CONFIG" --product sky-operator >&2 && swift build -c "$CONFIG" --product skylet >&2) \
        || die "build failed"
    SKY_BIN_DIR="$(cd "$ROOT" && swift build -c "$CONFIG" --show-bin-path)"
fi
OPERATOR="$SKY_BIN_DIR/sky-operator"
export SKY_SKYLET_BINARY="${SKY_SKYLET_BINARY:-$SKY_BIN_DIR/skylet}"
[ -x "$OPERATOR" ] && [ -x "$SKY_SKYLET_BINARY" ] || die "missing $OPERATOR or $SKY_SKYLET_BINARY"
RUNS="${SKY_BENCH_RUNS:-5}"
RESYNCS="${SKY_BENCH_RESYNCS:-3}"
RESYNC_SECONDS=10

WORK=$(mktemp -d /tmp/sky-bench-op.XXXXXX)
NS="bench-op-$(date +%s)"
read -r -a IPS <<<"${SKY_TESTBED_SSH_IPS}"
mkdir -p "$WORK/sky"
cat >"$WORK/sky/ssh_node_pools.yaml" <<YAML
bench:
  identity_file: $SKY_TESTBED_SSH_KEY
  hosts:
    - ip: ${IPS[9]}
      user: sky10
YAML
OP_PID=""
cleanup() {
    # Idle copies first (no teardown: they share the real cluster), then the real one.
    for r in $("$KUBECTL" -n "$NS" get skyclusters -o name 2>/dev/null); do
        [ "$r" = "skycluster.sky.dev/base" ] && continue
        "$KUBECTL" -n "$NS" patch "$r" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1
    done
    "$KUBECTL" -n "$NS" delete skyjobs --all --wait=false >/dev/null 2>&1
    "$KUBECTL" -n "$NS" delete skyclusters --all --timeout=120s >/dev/null 2>&1
    [ -n "$OP_PID" ] && kill "$OP_PID" 2>/dev/null && wait "$OP_PID" 2>/dev/null
    "$KUBECTL" delete ns "$NS" --wait=false >/dev/null 2>&1
    [ -n "${SKY_BENCH_KEEP_LOG:-}" ] && cp "$WORK/operator.log" "$SKY_BENCH_KEEP_LOG"
    rm -rf "$WORK"
}
trap cleanup EXIT

"$KUBECTL" apply -f "$ROOT/crds" >/dev/null || die "cannot install the CRDs"
"$KUBECTL" wait --for=condition=Established crd/skyclusters.sky.dev crd/skyjobs.sky.dev >/dev/null
"$KUBECTL" create ns "$NS" >/dev/null || die "cannot create namespace $NS"
HOME="$WORK" USER=bench "$OPERATOR" --kubeconfig "$KUBECONFIG" --namespace "$NS" --sky-home "$WORK/sky" \
    --health-port 0 --metrics-port 0 --bind-address 127.0.0.1 --resync-seconds "$RESYNC_SECONDS" \
    2>"$WORK/operator.log" &
OP_PID=$!

# kubectl 1.20 has no `wait --for=jsonpath`: poll.
wait_phase() {  # KIND NAME PHASE TIMEOUT_SECONDS
    local i
    for i in $(seq 1 $(( $4 * 10 ))); do
        [ "$("$KUBECTL" -n "$NS" get "$1" "$2" -o 'jsonpath={.status.phase}' 2>/dev/null)" = "$3" ] && return 0
        sleep 0.1
    done
    return 1
}
[ -n "${IPS[9]:-}" ] || die "the SSH testbed has fewer than 10 hosts: Tests/testbed/sshpool.sh up 12"
say "launching SkyCluster base on the SSH pool (${IPS[9]}) with the $CONFIG operator"
cat <<YAML | "$KUBECTL" -n "$NS" apply -f - >/dev/null
apiVersion: sky.dev/v1alpha1
kind: SkyCluster
metadata: {name: base}
spec:
  clusterName: bench-op
  task:
    resources: {infra: ssh/bench}
YAML
wait_phase skycluster base Up 180 \
    || { tail -20 "$WORK/operator.log" >&2; die "SkyCluster base did not come Up"; }

now() { date +%s.%N; }
ms() { python3 -c "import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) * 1000))" "$1" "$2"; }
times=()
for i in $(seq 1 "$RUNS"); do
    name="bench-$i"
    # Timed from the apply's start; the watch (it needs the object) starts right after and
    # prints the current phase first, so a Running reached before it is an upper bound.
    start=$(now)
    cat <<YAML | "$KUBECTL" -n "$NS" apply -f - >/dev/null
apiVersion: sky.dev/v1alpha1
kind: SkyJob
metadata: {name: $name}
spec:
  cluster: base
  task: {run: sleep 3}
YAML
    # Stream phase changes with local timestamps; stop at Running.
    ( "$KUBECTL" -n "$NS" get skyjob "$name" -w -o 'jsonpath={.status.phase}{"\n"}' 2>/dev/null \
        | while read -r phase; do echo "$(now) $phase"; [ "$phase" = Running ] && break; done ) >"$WORK/w$i" &
    watcher=$!
    for _ in $(seq 1 200); do grep -q " Running$" "$WORK/w$i" 2>/dev/null && break; sleep 0.05; done
    kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
    running=$(awk '$2=="Running"{print $1; exit}' "$WORK/w$i")
    if [ -z "$running" ]; then warn "run $i: Running not seen"; continue; fi
    t=$(ms "$start" "$running")
    times+=("$t")
    printf 'skyjob apply -> Running, run %d: %s ms\n' "$i" "$t"
    wait_phase skyjob "$name" Succeeded 60
done
if [ "${#times[@]}" -gt 0 ]; then
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
    printf 'skyjob apply -> Running: median %s ms over %d runs (target < 1000 ms)\n' "$median" "${#times[@]}"
fi

cpu_ms() {  # utime + stime of the operator, in ms
    awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/$OP_PID/stat"
}
window=$((RESYNC_SECONDS * RESYNCS))
say "baseline: operator CPU over ${window}s with 1 SkyCluster and $RUNS finished SkyJobs"
b0=$(cpu_ms); sleep "$window"; b1=$(cpu_ms)
say "creating 99 more Up SkyClusters (sharing Sky cluster bench-op)"
for i in $(seq 1 99); do
    cat <<YAML
---
apiVersion: sky.dev/v1alpha1
kind: SkyCluster
metadata: {name: idle-$i}
spec:
  clusterName: bench-op
  task:
    resources: {infra: ssh/bench}
YAML
done | "$KUBECTL" -n "$NS" apply -f - >/dev/null
for _ in $(seq 1 120); do
    up=$("$KUBECTL" -n "$NS" get skyclusters -o 'jsonpath={range .items[*]}{.status.phase}{"\n"}{end}' | grep -c '^Up$')
    [ "$up" -ge 100 ] && break
    sleep 1
done
say "$up SkyClusters Up; settling for one resync period, then measuring ${RESYNCS} resyncs"
# The last ones to come Up still get their launched-spec annotation and status written (and
# the watch events of those writes): not idle work.
sleep "$RESYNC_SECONDS"
c0=$(cpu_ms); sleep "$window"; c1=$(cpu_ms)
python3 - "$b0" "$b1" "$c0" "$c1" "$RESYNCS" "$up" "$CONFIG" <<'PY'
import sys
b0, b1, c0, c1 = map(float, sys.argv[1:5]); n = int(sys.argv[5]); up = sys.argv[6]; config = sys.argv[7]
base = (b1 - b0) / n; total = (c1 - c0) / n
print(f"operator CPU per resync with {up} idle resources ({config} build): {total:.0f} ms total, "
      f"{total - base:.0f} ms above the idle baseline of {base:.0f} ms (target < 100 ms)")
PY
