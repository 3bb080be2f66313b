# The weft command line: help, version, -e, -p, --input-type, script
# arguments, and bad input (unknown options, missing arguments).
. "$(dirname "$0")/common.bash"

run --help
expect_status 0; expect_stdout_match '^Usage: weft \[options\] <script> \[args\.\.\.\]'; expect_stderr_empty
run -h
expect_status 0; expect_stdout_match '^Usage: weft'

run --version
expect_status 0; expect_stdout_match '^v[0-9]+\.[0-9]+\.[0-9]+$'; expect_stderr_empty
run -v
expect_status 0; expect_stdout_match '^v[0-9]+\.[0-9]+\.[0-9]+$'

run -e 'console.log(1 + 2, typeof require, __filename)'
expect_status 0; expect_stdout '3 function [eval]'; expect_stderr_empty

run -e 'console.log(process.argv.slice(1).join("|"))' a -b --c
expect_status 0; expect_stdout 'a|-b|--c'

run -p '6 * 7'
expect_status 0; expect_stdout '42'

run -p '"quote \" and \\ backslash"'
expect_status 0; expect_stdout 'quote " and \ backslash'

run --input-type=module -e 'import { EventEmitter } from "events"; console.log(typeof EventEmitter, typeof require)'
expect_status 0; expect_stdout 'function undefined'

run --input-type=module -e 'await Promise.resolve(); console.log("top-level await")'
expect_status 0; expect_stdout 'top-level await'

run -e 'process.exit(7)'
expect_status 7

run -e 'require("./nonexistent-from-eval")'
expect_status 1; expect_stderr_match "Cannot find module './nonexistent-from-eval'"

run --no-such-option x.js
expect_status 9; expect_stderr_match "^weft: unknown option '--no-such-option'$"

run -e
expect_status 9; expect_stderr_match '^weft: -e requires an argument$'

run --input-type=banana -e '1'
expect_status 9; expect_stderr_match "invalid value for --input-type: 'banana'"

run
expect_status 9; expect_stderr_match '^Usage: weft'

# Options after the script belong to the script.
echo 'console.log(process.argv.slice(2).join(" "))' >"$tmp/args.js"
run "$tmp/args.js" --version -e x
expect_status 0; expect_stdout '--version -e x'

run -- "$tmp/args.js" --help
expect_status 0; expect_stdout '--help'

finish
