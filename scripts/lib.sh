# shellcheck shell=bash
# Helpers shared by scripts/*.sh (sourced, never run).
#
#   SKY_ROOT              the checkout (this file's parent folder)
#   SKY_STATIC_SCRATCH    SwiftPM scratch path of the --static-swift-stdlib builds
#                         (default .build/static; see build_static below for why it is separate)
#   SKY_APT_LOG           where apt output goes (default /tmp/sky-apt.log)

SKY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SKY_STATIC_SCRATCH="${SKY_STATIC_SCRATCH:-$SKY_ROOT/.build/static}"
SKY_APT_LOG="${SKY_APT_LOG:-/tmp/sky-apt.log}"

# Debian 12 packages the build, the tests and the main job need. The first group is what the
# Swift toolchain itself needs to compile and link on Debian 12 (swift.org's list).
SKY_APT_PACKAGES=(
    binutils gcc libc6-dev libstdc++-12-dev libicu-dev libxml2-dev libncurses-dev
    libpython3-dev uuid-dev zlib1g-dev pkg-config tzdata git ca-certificates python3
    libcurl4-openssl-dev libyaml-dev libssl-dev libslurm-dev libsqlite3-dev
    rsync openssh-client openssh-server sudo iproute2 iputils-ping procps
)

say() { printf '==> %s\n' "$*" >&2; }
warn() { printf '==> WARNING: %s\n' "$*" >&2; }
die() { printf '==> ERROR: %s\n' "$*" >&2; exit 1; }

# Puts the Swift toolchain on PATH: `swift` if already there, else /opt/swift/usr/bin
# (where the toolchain is on the project's machines), else $SWIFT_TOOLCHAIN/usr/bin.
ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        local dir
        for dir in "${SWIFT_TOOLCHAIN:-/opt/swift}/usr/bin" /opt/swift/usr/bin; do
            if [ -x "$dir/swift" ]; then export PATH="$dir:$PATH"; break; fi
        done
    fi
    command -v swift >/dev/null 2>&1 \
        || die "no Swift toolchain: install Swift 6.3 into /opt/swift (or set SWIFT_TOOLCHAIN)"
    say "$(swift --version 2>/dev/null | head -1)"
}

# Installs the missing ones among SKY_APT_PACKAGES (and $SKY_APT_EXTRA, a space-separated
# list), quietly. Runs `apt-get update` first whenever something has to be installed.
install_deps() {
    local p missing=() extra=()
    read -r -a extra <<<"${SKY_APT_EXTRA:-}"
    for p in "${SKY_APT_PACKAGES[@]}" "${extra[@]}"; do
        [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] \
            || missing+=("$p")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root or install them"
    say "apt-get install ${missing[*]} (log: $SKY_APT_LOG)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq -o DPkg::Lock::Timeout=300 >>"$SKY_APT_LOG" 2>&1 \
        || die "apt-get update failed (see $SKY_APT_LOG)"
    apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" \
        >>"$SKY_APT_LOG" 2>&1 || die "apt-get install failed (see $SKY_APT_LOG)"
}

# build_static CONFIG: builds the `sky` and `skylet` executables with the Swift standard
# library and Foundation linked statically (skylet is copied to hosts that have no Swift) and
# prints the folder that holds them.
#
# These builds use their own scratch path: SwiftPM compiles every module differently with
# --static-swift-stdlib (-static-stdlib -use-static-resource-dir) but does not notice when the
# flag changes, so mixing static and plain builds in one folder ends in link errors
# ("cannot find -lCoreFoundation"). `swift test` has no such flag and uses the default .build.
build_static() {
    local config="${1:-debug}" product
    local args=(--static-swift-stdlib -c "$config" --scratch-path "$SKY_STATIC_SCRATCH")
    for product in sky skylet; do
        say "swift build ${args[*]} --product $product"
        swift build "${args[@]}" --product "$product" 2>&1 \
            | grep -v "the use of \`mktemp' is dangerous" >&2
        [ "${PIPESTATUS[0]}" = 0 ] || die "swift build of $product ($config) failed"
    done
    swift build "${args[@]}" --show-bin-path
}
