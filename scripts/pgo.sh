#!/usr/bin/env bash
# Records the profile that the default build is optimized with: builds weft
# instrumented (build/pgo/train), runs tools/pgo-train.mjs with it and keeps
# what it recorded in build/pgo/profile. Does nothing when a profile is there
# already; `rm -rf build/pgo` makes the next build record a new one.
# usage: scripts/pgo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
profile="$PWD/build/pgo/profile"
[ -e "$profile/trained" ] && exit 0
rm -rf build/pgo
cmake -S . -B build/pgo/train -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWEFT_BUILD_TESTS=OFF \
  -DWEFT_PGO_GENERATE="$profile" >/dev/null
cmake --build build/pgo/train --target weft -j "$(nproc)"
build/pgo/train/weft tools/pgo-train.mjs
touch "$profile/trained"
