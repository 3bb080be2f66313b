#!/usr/bin/env bash
# Installs what is missing, then configures and builds weft.
# usage: scripts/build.sh [PRESET]   (default, asan, tsan: see CMakePresets.json)
#        WEFT_PGO=0 scripts/build.sh   (the default build without profile-guided optimization)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
bash scripts/setup.sh
# The default build is optimized with a profile of a training run
# (scripts/pgo.sh); WEFT_PGO=0 builds without one.
pgo=()
if [ "$preset" = default ]; then
  if [ "${WEFT_PGO:-1}" != 0 ]; then
    bash scripts/pgo.sh
    pgo=(-DWEFT_PGO_USE="$PWD/build/pgo/profile")
  else
    pgo=(-DWEFT_PGO_USE=)
  fi
fi
cmake --preset "$preset" "${pgo[@]}" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
