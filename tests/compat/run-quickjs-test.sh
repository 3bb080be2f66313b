#!/usr/bin/env bash
# Runs one of QuickJS's own tests on weft, unmodified: the engine source's
# tests/ folder is copied into a temporary directory (the tests import their
# helpers by relative paths) and the test must exit 0 with no stderr.
#
# usage: run-quickjs-test.sh WEFT QUICKJS_TESTS_DIR TEST_FILE
set -u
weft=$1 src=$2 test=$3
case $weft in /*) ;; *) weft=$PWD/$weft ;; esac
[ -f "$src/$test" ] || { echo "FAIL: $src/$test not found (is the QuickJS source in build/deps?)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$src"/*.js "$dir"/
cd "$dir" || exit 1
# stdin stays open and empty, as a terminal would be: test_std.js starts a
# `cat` that must still be running when it is killed.
mkfifo "$dir/.stdin" && exec 3<>"$dir/.stdin" || exit 1
timeout 120 "$weft" "$test" >"$dir/.out" 2>"$dir/.err" <&3
code=$?
status=0
[ "$code" -eq 0 ] || { echo "FAIL: exit code $code"; status=1; }
[ -s "$dir/.err" ] && { echo "FAIL: unexpected stderr"; status=1; }
if [ "$status" -ne 0 ]; then
  echo "--- stdout ---"; head -c 4000 "$dir/.out"
  echo "--- stderr ---"; head -c 4000 "$dir/.err"
fi
exit "$status"
