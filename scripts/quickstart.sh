#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine (as root) or a developer checkout:
# installs the missing apt packages, builds `sky` and `skylet` (--static-swift-stdlib), then
# launches examples/hello.yaml on this machine (the local backend: no infra set and no cloud
# enabled, so no cloud account is needed), shows `sky status`, and tears the cluster down.
#
# Options (environment):
#   SKY_QUICKSTART_TASK=path.yaml   another task to launch (default examples/hello.yaml)
#   SKY_QUICKSTART_KEEP=1           keep the cluster `hello` (no `sky down` at the end)
#   SKY_BUILD_CONFIG=release        build config (default debug, the one the tests use)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SKY_ROOT"

ensure_swift
install_deps
BIN_DIR=$(build_static "${SKY_BUILD_CONFIG:-debug}")
SKY="$BIN_DIR/sky"
TASK="${SKY_QUICKSTART_TASK:-examples/hello.yaml}"
CLUSTER=hello

run() { say "sky $*"; "$SKY" "$@" </dev/null; }

run launch -y -c "$CLUSTER" "$TASK"
run status
if [ "${SKY_QUICKSTART_KEEP:-0}" = 1 ]; then
    say "cluster $CLUSTER kept; try: $SKY exec $CLUSTER -- echo hi; $SKY down -y $CLUSTER"
else
    run down -y "$CLUSTER"
fi
say "done; the sky binary is $SKY"
