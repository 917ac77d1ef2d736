#!/usr/bin/env bash
# Kubernetes backend figures (issue #10), on the Kubernetes testbed with a real node
# (TESTBED_K8S_KUBELET=1 Tests/testbed/k8s.sh up):
#   1. unschedulable GPU request -> failover decision: from "Launching on kubernetes/..." to
#      "Failed on kubernetes/...: ... Insufficient nvidia.com/gpu" in `sky launch` (target < 2 s;
#      SkyPilot waits at least its 10 s provision timeout);
#   2. `sky exec -d` on an UP pod cluster until the job is queued (target < 500 ms), median.
#
# Binaries: $SKY_BIN_DIR/sky and $SKY_BIN_DIR/skylet when set (the skylet must be a static
# build: it is copied into the pods), else a static release build (scripts/lib.sh build_static).
# Env: SKY_BENCH_RUNS (default 7) runs of the exec figure.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$ROOT/scripts/lib.sh"

if [ -z "${K8S_TESTBED_REAL_NODE:-}" ]; then
    eval "$("$ROOT/Tests/testbed/k8s.sh" env 2>/dev/null)" || true
fi
[ -n "${K8S_TESTBED_REAL_NODE:-}" ] && [ -n "${KUBECONFIG:-}" ] \
    || die "no Kubernetes testbed with a real node: TESTBED_K8S_KUBELET=1 Tests/testbed/k8s.sh up"
"$KUBECTL" get node "$K8S_TESTBED_REAL_NODE" >/dev/null 2>&1 || die "testbed node $K8S_TESTBED_REAL_NODE not found"

if [ -z "${SKY_BIN_DIR:-}" ]; then
    ensure_swift
    SKY_BIN_DIR="$(build_static release)" || die "static build failed"
fi
SKY="$SKY_BIN_DIR/sky"
SKY_SKYLET_BINARY="$(readlink -f "${SKY_SKYLET_BINARY:-$SKY_BIN_DIR/skylet}")"
export SKY_SKYLET_BINARY
[ -x "$SKY" ] && [ -x "$SKY_SKYLET_BINARY" ] || die "missing $SKY or $SKY_SKYLET_BINARY"

WORK=$(mktemp -d /tmp/sky-bench-k8s.XXXXXX)
export HOME="$WORK/home" SKY_HOME="$WORK/home/.sky"
mkdir -p "$SKY_HOME"
CLUSTER="benchk8s"
cleanup() {
    "$SKY" down -y "$CLUSTER" >/dev/null 2>&1
    "$SKY" down -y benchk8s-nofit >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT
IMAGE="${K8S_TESTBED_POD_IMAGE:-sky-testbed/debian:12}"
GPUS=$("$KUBECTL" get node "$K8S_TESTBED_REAL_NODE" -o jsonpath='{.status.allocatable.nvidia\.com/gpu}')
WANT=$(( ${GPUS:-0} + 6 ))

cat >"$WORK/nofit.yaml" <<EOF
resources:
  infra: k8s
  cpus: 0.25
  memory: 0.25
  image_id: docker:$IMAGE
  accelerators: T4:$WANT
run: echo never
EOF
# 0.5 CPU: what a `sky exec` job asks by default.
cat >"$WORK/up.yaml" <<EOF
resources:
  infra: k8s
  cpus: 0.5
  memory: 0.25
  image_id: docker:$IMAGE
run: echo up
EOF

say "1/2: launch asking $WANT GPUs (the node has ${GPUS:-0})"
python3 - "$SKY" "$WORK/nofit.yaml" <<'PY'
import subprocess, sys, time
sky, task = sys.argv[1], sys.argv[2]
proc = subprocess.Popen([sky, "launch", "-y", "-c", "benchk8s-nofit", task], stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
start = failed = None
message = ""
for line in proc.stdout:
    now = time.perf_counter()
    if line.startswith("Launching on kubernetes") and start is None:
        start = now
    if line.startswith("Failed on kubernetes") and failed is None:
        failed, message = now, line.strip()
proc.wait()
label = "unschedulable GPU request -> failover decision"
if start is None or failed is None:
    print(f"{label:<46} {'n/a':>12}  (target < 2000 ms)  no failover line seen")
else:
    ms = (failed - start) * 1000
    verdict = "" if ms < 2000 else "  MISSED"
    print(f"{label:<46} {ms:>9.0f} ms  (target < 2000 ms){verdict}")
    print(f"  scheduler said: {message[:200]}")
PY

say "2/2: sky exec -d on an UP 1-pod cluster"
"$SKY" launch -y -c "$CLUSTER" "$WORK/up.yaml" >"$WORK/launch.log" 2>&1 \
    || { tail -5 "$WORK/launch.log" >&2; die "launch of the UP cluster failed"; }
"$SKY" exec -d "$CLUSTER" 'echo warm' >/dev/null 2>&1
python3 "$ROOT/scripts/bench/measure.py" cmd "sky exec -d (UP pod cluster) -> job queued" 500 \
    "${SKY_BENCH_RUNS:-7}" -- "$SKY" exec -d "$CLUSTER" 'echo bench'
