#!/usr/bin/env bash
# Runs one JavaScript behaviour test through the weft binary and checks it.
#
# usage: run-js-test.sh WEFT TEST_FILE
#
# Directives in the test's leading comment lines:
#   // @exit: N         expected exit code (default 0)
#   // @args: A B       arguments after the script
#   // @flags: --x      weft options before the script
#   // @env: K=V ...    extra environment
# Expected output beside the test:
#   NAME.stdout         stdout must equal this file exactly
#   NAME.stderr         each line is an extended regex that must match some
#                       line of stderr; without this file stderr must be empty
#                       ("@@DIR@@" in a pattern stands for the test's folder)
set -u
weft=$1
case $weft in /*) ;; *) weft=$PWD/$weft ;; esac
test=$2
dir=$(cd "$(dirname "$test")" && pwd)
base="$dir/$(basename "$test")"
stem="${base%.*}"

directive() {
  sed -n "s|^// @$1: *||p" "$base" | head -n 1
}

expect_exit=$(directive exit)
expect_exit=${expect_exit:-0}
read -r -a args <<<"$(directive args)"
read -r -a flags <<<"$(directive flags)"
read -r -a envs <<<"$(directive env)"

out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
(cd "$dir" && env ${envs[@]+"${envs[@]}"} timeout 120 "$weft" ${flags[@]+"${flags[@]}"} "$base" ${args[@]+"${args[@]}"} \
  >"$out" 2>"$err" </dev/null)
code=$?

status=0
report() {
  echo "FAIL: $*"
  status=1
}

[ "$code" -eq "$expect_exit" ] || report "exit code $code, expected $expect_exit"
if [ -f "$stem.stdout" ]; then
  diff -u "$stem.stdout" "$out" >/dev/null || { report "stdout differs:"; diff -u "$stem.stdout" "$out" | head -n 40; }
fi
if [ -f "$stem.stderr" ]; then
  while IFS= read -r pattern; do
    [ -z "$pattern" ] && continue
    pattern=${pattern//@@DIR@@/$dir}
    grep -Eq -- "$pattern" "$err" || report "stderr has no line matching: $pattern"
  done <"$stem.stderr"
elif [ -s "$err" ]; then
  report "unexpected stderr"
fi
if [ "$status" -ne 0 ]; then
  echo "--- stdout ---"; head -c 4000 "$out"
  echo "--- stderr ---"; head -c 4000 "$err"
fi
exit "$status"
