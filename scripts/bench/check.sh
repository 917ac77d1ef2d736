#!/usr/bin/env bash
# `sky check` and plugin figures (issue #7), release build (scripts/lib.sh build_static):
#   1. `sky check` over every backend with nothing configured (target < 200 ms), median;
#   2. `sky check` with the SSH pool testbed's pools file and the Kubernetes testbed's
#      kubeconfig (target < 1 s), median: "cold" = a fresh SKY_HOME each run, so every SSH host
#      costs a full key exchange; "warm" = the same SKY_HOME, whose check ControlMasters (5 min)
#      are reused;
#   3. one plugin call round trip (target < 5 ms): `sky plugins ping example` against the
#      SkyPluginKit example plugin (no-op `ping`), median of SKY_BENCH_PINGS (default 2000)
#      sequential calls; and the inventory (Python) plugin for comparison.
#
# Binaries: $SKY_BIN_DIR/sky and $SKY_BIN_DIR/sky-provisioner-example when set, else a static
# release build. Env: SKY_BENCH_RUNS (default 9) runs of the check figures.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$ROOT/scripts/lib.sh"
RUNS="${SKY_BENCH_RUNS:-9}"
PINGS="${SKY_BENCH_PINGS:-2000}"
MEASURE=(python3 "$ROOT/scripts/bench/measure.py")

if [ -z "${SKY_BIN_DIR:-}" ]; then
    ensure_swift
    SKY_BIN_DIR="$(build_static release)" || die "static build failed"
    swift build --static-swift-stdlib -c release --scratch-path "$SKY_STATIC_SCRATCH" \
        --product sky-provisioner-example >&2 || die "build of sky-provisioner-example failed"
fi
SKY="$SKY_BIN_DIR/sky"
EXAMPLE="$SKY_BIN_DIR/sky-provisioner-example"
if [ ! -x "$EXAMPLE" ]; then  # SKY_BIN_DIR given by bench.sh: build the example plugin beside
    ensure_swift
    static=(--static-swift-stdlib -c release --scratch-path "$SKY_STATIC_SCRATCH")
    if swift build "${static[@]}" --product sky-provisioner-example >&2; then
        EXAMPLE="$(swift build "${static[@]}" --show-bin-path)/sky-provisioner-example"
    fi
fi
[ -x "$SKY" ] || die "missing $SKY"

WORK=$(mktemp -d /tmp/sky-bench-check.XXXXXX)
cleanup() {
    # close the ControlMasters the checks left (they would idle for 5 minutes)
    find "$WORK" -type s -path '*/ssh/cm/*' 2>/dev/null | while read -r socket; do
        ssh -S "$socket" -O exit sky-bench-host >/dev/null 2>&1
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/empty/home" "$WORK/empty/sky" "$WORK/beds/home" "$WORK/beds/sky" "$WORK/plugins"

echo "== sky check (issue #7) =="
"${MEASURE[@]}" cmd "sky check, nothing configured" 200 "$RUNS" -- \
    env -i PATH=/usr/bin:/bin HOME="$WORK/empty/home" SKY_HOME="$WORK/empty/sky" "$SKY" check

# Testbeds: the SSH pool (pools file) and Kubernetes (kubeconfig), when they are up.
beds=()
if [ -z "${SKY_TESTBED_SSH_NODE_POOLS:-}" ]; then
    eval "$("$ROOT/Tests/testbed/sshpool.sh" env 2>/dev/null)" || true
fi
if [ -n "${SKY_TESTBED_SSH_NODE_POOLS:-}" ] && [ -f "$SKY_TESTBED_SSH_NODE_POOLS" ]; then
    # The bed's first 4 hosts (its default size; tests start 12, one set per suite).
    awk '/^ *- ip:/ { n++ } n <= 4' "$SKY_TESTBED_SSH_NODE_POOLS" >"$WORK/beds/sky/ssh_node_pools.yaml"
    beds+=("ssh: $(grep -c '^ *- ip:' "$WORK/beds/sky/ssh_node_pools.yaml") hosts")
fi
if [ -z "${KUBECONFIG:-}" ]; then
    eval "$("$ROOT/Tests/testbed/k8s.sh" env 2>/dev/null)" || true
fi
kube_env=()
if [ -n "${KUBECONFIG:-}" ] && [ -f "$KUBECONFIG" ]; then
    kube_env=(KUBECONFIG="$KUBECONFIG")
    [ -n "${KUBECTL:-}" ] && kube_env+=(KUBECTL="$KUBECTL" PATH="$(dirname "$KUBECTL"):/usr/bin:/bin")
    beds+=("kubernetes: $KUBECONFIG")
fi
if [ ${#beds[@]} -eq 0 ]; then
    echo "sky check, SSH + Kubernetes testbeds                 n/a  (no testbed up: Tests/testbed/sshpool.sh up; Tests/testbed/k8s.sh up)"
else
    bed_env=(env -i PATH=/usr/bin:/bin HOME="$WORK/beds/home" SKY_HOME="$WORK/beds/sky" "${kube_env[@]}")
    # cold: a fresh SKY_HOME (no ssh master) per run
    cat >"$WORK/cold.sh" <<COLD
#!/usr/bin/env bash
home=\$(mktemp -d "$WORK/cold.XXXXXX")
[ -f "$WORK/beds/sky/ssh_node_pools.yaml" ] && cp "$WORK/beds/sky/ssh_node_pools.yaml" "\$home/"
exec env -i PATH="\$PATH" HOME="$WORK/beds/home" SKY_HOME="\$home" ${kube_env[*]} "$SKY" check
COLD
    chmod +x "$WORK/cold.sh"
    "${MEASURE[@]}" cmd "sky check, testbeds configured (cold)" 1000 "$RUNS" -- \
        env -i PATH=/usr/bin:/bin "$WORK/cold.sh"
    "${MEASURE[@]}" cmd "sky check, testbeds configured (warm)" 1000 "$RUNS" -- "${bed_env[@]}" "$SKY" check
    # What was enabled, so the figure is read with what it covered.
    "${bed_env[@]}" "$SKY" check -o json 2>/dev/null | tr -d ' \n' | sed 's/^/  enabled: /'; echo
    printf '  (%s)\n' "$(IFS=';'; echo "${beds[*]}")"
    if ! "${bed_env[@]}" "$SKY" check -o json 2>/dev/null | grep -q '"Kubernetes"'; then
        echo "  note: Kubernetes is not enabled in this measurement (backend not registered or the bed is down)"
    fi
fi

echo "== plugin round trip (issue #7) =="
ping_line() {  # LABEL NAME PLUGIN_DIR
    local out median
    out=$(env -i PATH=/usr/bin:/bin HOME="$WORK/empty/home" SKY_HOME="$WORK/empty/sky" \
        SKY_PLUGIN_PATH="$3" "$SKY" plugins ping "$2" -n "$PINGS" 2>&1) || {
        printf '%-46s %12s  (target < 5 ms)  (%s)\n' "$1" "n/a" "$(echo "$out" | tail -1)"
        return
    }
    median=$(echo "$out" | sed -n 's/.*median \([0-9]*\) µs.*/\1/p')
    local verdict=""
    [ -n "$median" ] && [ "$median" -ge 5000 ] && verdict="  MISSED"
    printf '%-46s %12s  (target < 5 ms)%s\n' "$1" "$(awk -v u="$median" 'BEGIN{printf "%.3f ms", u/1000}')" "$verdict"
    echo "$out" | sed -n 's/^  /  /p'
}
if [ -x "$EXAMPLE" ]; then
    ln -sf "$(readlink -f "$EXAMPLE")" "$WORK/plugins/sky-provisioner-example"
    ping_line "plugin call round trip (Swift, SkyPluginKit)" example "$WORK/plugins"
else
    echo "plugin call round trip (Swift)                          n/a  (no $EXAMPLE)"
fi
ping_line "plugin call round trip (Python inventory)" inventory "$ROOT/plugins/python-inventory"
