#!/usr/bin/env bash
# Runs weft's benchmarks side by side with Node worker_threads, piscina and
# QuickJS's qjs. Installs what is missing first (idempotent), builds weft and
# qjs, then hands over to bench/driver.mjs.
#
# usage: bash bench/run.sh [--quick] [case ...]
#   case: a number 1-9 or a case id (start, idle, max-threads, pingpong,
#   stream, transfer, clone, pool, scaling, terminate); none: all of them.
#   --quick: one short round per case (a smoke run).
# BENCH_WEFT=/path/to/weft benchmarks that binary instead of building one.
#
# A peer that cannot be installed or built is reported as skipped, with why;
# only a missing Node (which runs the driver) or a weft that does not build
# stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
log=bench/results/setup.log
: >"$log"

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
apt_updated=
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then
    "${as_root[@]}" apt-get update -qq >>"$log" 2>&1 || return 1
    apt_updated=1
  fi
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$@" >>"$log" 2>&1
}

# Node runs the driver and is a peer: Debian's, when there is none at all.
if ! command -v node >/dev/null; then
  echo "bench: installing nodejs and npm from Debian"
  apt_install nodejs npm || { echo "bench: could not install nodejs (see $log)" >&2; exit 1; }
fi

# piscina, pinned by bench/package-lock.json. npm ci again only when the
# lockfile changed since the last install.
if [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  if ! command -v npm >/dev/null; then
    export BENCH_PISCINA_SKIPPED="npm is missing"
  elif ! npm ci --prefix bench --omit=optional --no-audit --no-fund >>"$log" 2>&1; then
    export BENCH_PISCINA_SKIPPED="npm ci failed (see $log)"
  fi
fi

# gnuplot draws the charts; without it the figures are still written.
if ! command -v gnuplot >/dev/null; then
  echo "bench: installing gnuplot-nox from Debian"
  apt_install gnuplot-nox || export BENCH_GNUPLOT_SKIPPED="gnuplot could not be installed (see $log)"
fi

# weft and qjs are copied out of build/ so that a rebuild during the run
# (others work in this tree) cannot swap the binaries under it.
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT

if [ -n "${BENCH_WEFT:-}" ]; then
  cp "$BENCH_WEFT" "$bin/weft"
else
  echo "bench: building weft"
  bash scripts/build.sh >>"$log" 2>&1 || { echo "bench: weft does not build (see $log)" >&2; exit 1; }
  cp build/default/weft "$bin/weft"
fi
export BENCH_WEFT="$bin/weft"

# qjs comes from the same QuickJS source package and build flags as weft's
# engine (the optional qjs target in cmake/QuickJS.cmake).
if cmake --preset default >>"$log" 2>&1 && cmake --build --preset default --target qjs >>"$log" 2>&1; then
  cp build/default/qjs "$bin/qjs"
  export BENCH_QJS="$bin/qjs"
else
  export BENCH_QJS_SKIPPED="qjs did not build (see $log)"
fi

node bench/driver.mjs "$@"
