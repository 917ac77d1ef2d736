#!/usr/bin/env bash
# Prints how long `sky check` takes: nothing configured, and with the SSH testbed's pools file
# plus the inventory plugin. Usage: plugins/bench-check.sh [path/to/sky] (default .build/debug/sky)
set -euo pipefail
SKY=${1:-.build/debug/sky}
REPO=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
best() { local b=999999 t; for _ in 1 2 3 4 5; do t=$(ms "$@"); (( t < b )) && b=$t; done; echo "$b"; }
mkdir -p "$tmp/home" "$tmp/sky"
echo "sky check, nothing configured:      $(best env -i PATH=/usr/bin:/bin HOME="$tmp/home" SKY_HOME="$tmp/sky" "$SKY" check) ms (best of 5)"
pools=${SKY_TESTBED_SSH_NODE_POOLS:-}
if [[ -n "$pools" && -f "$pools" ]]; then cp "$pools" "$tmp/sky/ssh_node_pools.yaml"; fi
echo '{"region":"lab","hosts":[{"ip":"10.77.0.13","user":"sky3"}]}' > "$tmp/inv.json"
echo "sky check, ssh pools + plugin:       $(best env -i PATH=/usr/bin:/bin HOME="$tmp/home" SKY_HOME="$tmp/sky" \
    SKY_PLUGIN_PATH="$REPO/plugins/python-inventory" SKY_INVENTORY_FILE="$tmp/inv.json" "$SKY" check) ms (best of 5)"
