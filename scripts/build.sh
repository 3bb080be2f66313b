#!/usr/bin/env bash
# Installs what is missing, then configures and builds weft.
# usage: scripts/build.sh [PRESET]   (default, asan, tsan: see CMakePresets.json)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
bash scripts/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
