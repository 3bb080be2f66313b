#!/usr/bin/env bash
# weft's workloads alone, on a machine that has neither Node nor a build of
# weft: the thread-scaling and latency figures of bench/RESULTS.md's "16
# cores" section come from it. Copy a built weft (and, where the machine
# lacks it, libuv.so.1) to a directory and run:
#
#   BENCH_WEFT=/path/to/weft [LD_LIBRARY_PATH=/dir/with/libuv] bash bench/device.sh
#
# Each line is a workload's own JSON result.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${BENCH_WEFT:-build/default/weft}
cores=$(nproc)
run() { echo "$1 $("$W" "bench/workloads/weft/$2" "$3")"; }
echo "cores $cores"
for i in 1 2 3; do run stream stream.mjs '{"messages":1000000}'; done
for i in 1 2 3; do run start start.mjs '{"starts":300}'; done
for i in 1 2 3; do WEFT_SPARE_THREADS=0 run start-no-spare start.mjs '{"starts":300}'; done
for i in 1 2 3; do run pingpong-busy pingpong.mjs '{"mode":"busy","warmup":10000,"trips":100000}'; done
for i in 1 2; do run pingpong-event pingpong.mjs '{"mode":"event","warmup":1000,"trips":20000}'; done
counts=1
for n in 2 4 8 16 32 64; do [ "$n" -le "$cores" ] && counts="$counts,$n"; done
run scaling scaling.mjs "{\"iterations\":20000000,\"counts\":[$counts]}"
run pool pool.mjs "{\"threads\":$cores,\"tasks\":400000,\"inFlight\":8}"
