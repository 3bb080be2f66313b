#!/usr/bin/env bash
# Runs one program of examples/embed/ and compares its stdout with the
# expected file; stderr must be empty and the exit code 0.
#
# usage: run-example.sh PROGRAM EXPECTED_STDOUT
set -u
prog=$1 expected=$2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
(cd "$(dirname "$expected")" && timeout 120 "$prog" >"$out" 2>"$err" </dev/null)
code=$?
status=0
[ "$code" -eq 0 ] || { echo "FAIL: exit code $code"; status=1; }
diff -u "$expected" "$out" || { echo "FAIL: stdout differs"; status=1; }
[ -s "$err" ] && { echo "FAIL: unexpected stderr"; cat "$err"; status=1; }
exit "$status"
