#!/usr/bin/env bash
# Formats the Swift sources with the toolchain's swift-format and the repository's .swift-format
# (4-space indent, line length 100).
#
#   scripts/format.sh          rewrite the files in place (swift format -i)
#   scripts/format.sh --lint   only report (swift format lint); exit 1 if anything is reported
#
# Files: Package.swift, Sources/ and Tests/ (except Tests/testbed, the test bed's own copy).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SKY_ROOT"
command -v swift >/dev/null 2>&1 || PATH="/opt/swift/usr/bin:$PATH"
swift format --version >/dev/null 2>&1 || die "swift format is missing (it ships with Swift 6.x)"

mapfile -t files < <(
    { echo Package.swift; find Sources Tests -name '*.swift' -not -path 'Tests/testbed/*'; } | sort
)
case "${1:-}" in
    --lint) swift format lint --strict --parallel --configuration .swift-format "${files[@]}" ;;
    "") swift format format -i --parallel --configuration .swift-format "${files[@]}" ;;
    *) echo "usage: $0 [--lint]" >&2; exit 2 ;;
esac
