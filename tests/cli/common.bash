# Helpers for command-line tests: run weft, then check what it did.
# Each test script sources this, calls `run ...` and the expect_* checks, and
# ends with `finish`.
set -u
: "${WEFT:?WEFT must name the weft binary}"
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run [args...]: runs weft with stdin closed, capturing output and status.
run() {
  last_cmd="weft $*"
  timeout 60 "$WEFT" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  status=$?
}

fail() {
  echo "FAIL [$last_cmd]: $*"
  echo "  stdout: $(head -c 600 "$tmp/out")"
  echo "  stderr: $(head -c 600 "$tmp/err")"
  failures=$((failures + 1))
}

expect_status() { [ "$status" -eq "$1" ] || fail "exit status $status, expected $1"; }
expect_stdout() { [ "$(cat "$tmp/out")" = "$1" ] || fail "stdout is not: $1"; }
expect_stdout_match() { grep -Eq -- "$1" "$tmp/out" || fail "stdout does not match: $1"; }
expect_stderr_match() { grep -Eq -- "$1" "$tmp/err" || fail "stderr does not match: $1"; }
expect_stderr_empty() { [ ! -s "$tmp/err" ] || fail "stderr is not empty"; }
expect_stderr_lines() { [ "$(wc -l <"$tmp/err")" -le "$1" ] || fail "stderr has more than $1 lines"; }

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
  fi
  echo "all checks passed"
}
