# The README's demo (examples/demo.js) runs and shows threads at work.
. "$(dirname "$0")/common.bash"

run "$(dirname "$0")/../../examples/demo.js"
expect_status 0
expect_stdout_match '^4 threads summed 1\.\.4000000 = 8000002000000 in '
expect_stdout_match '^3 threads incremented a shared counter to 30000$'
expect_stdout_match "tags: Map\(1\) \{ 'a' => 1 \}"
expect_stdout_match '^a spinning thread was terminated \(exit code 1\)'
expect_stdout_match '^exiting with code 0$'
expect_stderr_empty
finish
