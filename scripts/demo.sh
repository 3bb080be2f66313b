#!/usr/bin/env bash
# Builds weft and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh default
exec build/default/weft examples/demo.js
