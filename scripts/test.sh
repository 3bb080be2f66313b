#!/usr/bin/env bash
# Builds weft and runs the whole test suite through CTest.
# usage: scripts/test.sh [PRESET] [ctest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
shift || true
bash scripts/build.sh "$preset"
exec ctest --preset "$preset" "$@"
