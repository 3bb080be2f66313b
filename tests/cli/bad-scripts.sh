# Scripts that cannot run: one clear message on stderr, a non-zero status,
# never a crash or a hang.
. "$(dirname "$0")/common.bash"

run "$tmp/missing.js"
expect_status 1; expect_stderr_match "^weft: cannot find script '$tmp/missing.js'$"; expect_stderr_lines 1

mkdir "$tmp/a-directory"
run "$tmp/a-directory"
expect_status 1; expect_stderr_match "^weft: cannot read '$tmp/a-directory': "; expect_stderr_lines 1

printf 'const ok = 1;\nconst bad = ;\nconst after = 2;\n' >"$tmp/syntax.js"
run "$tmp/syntax.js"
expect_status 1; expect_stderr_match '^SyntaxError: '; expect_stderr_match "$tmp/syntax.js:2:[0-9]+"

printf 'export const x = ;\n' >"$tmp/syntax.mjs"
run "$tmp/syntax.mjs"
expect_status 1; expect_stderr_match '^SyntaxError: '; expect_stderr_match "$tmp/syntax.mjs:1:[0-9]+"

printf 'import "./nowhere.mjs";\n' >"$tmp/imports-missing.mjs"
run "$tmp/imports-missing.mjs"
expect_status 1
expect_stderr_match "Cannot find module './nowhere.mjs' imported from $tmp/imports-missing.mjs"

printf 'require("./nowhere");\n' >"$tmp/requires-missing.js"
run "$tmp/requires-missing.js"
expect_status 1
expect_stderr_match "Cannot find module './nowhere'"
expect_stderr_match "^- $tmp/requires-missing.js$"

printf '{ "type": "module", broken\n' >"$tmp/package.json"
printf 'console.log(1)\n' >"$tmp/in-broken-package.js"
run "$tmp/in-broken-package.js"
expect_status 1; expect_stderr_match "Invalid package config $tmp/package.json"
rm "$tmp/package.json"

# Binary garbage is a syntax error, not a crash.
head -c 4096 /dev/urandom >"$tmp/garbage.js"
run "$tmp/garbage.js"
[ "$status" -eq 1 ] || fail "garbage script: status $status"

# Unsettled top-level await: Node's warning and exit code 13.
printf 'await new Promise(() => {});\n' >"$tmp/unsettled.mjs"
run "$tmp/unsettled.mjs"
expect_status 13; expect_stderr_match 'unsettled top-level await'

# Deep recursion is a RangeError, not a crash.
printf 'function f() { return f() + 1; }\nf();\n' >"$tmp/recursion.js"
run "$tmp/recursion.js"
expect_status 1; expect_stderr_match '^RangeError: (stack overflow|Maximum call stack size exceeded)'; expect_stderr_match 'more frames'

finish
