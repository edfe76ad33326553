#!/usr/bin/env bash
# The test program of forkcheck_test (defs.bzl). Arguments, from the rule:
#   FORKCHECK [FLAGS...] --server SERVER [SERVER ARGS...] --end-of-server [TEST ARGS...]
# TEST ARGS come from `bazel test --test_arg=...` and go to forkcheck, before
# the server command, overriding the rule's. The JUnit report is written where
# Bazel reads it; the HTML report and the trace land in the test's undeclared
# outputs (bazel-testlogs/<package>/<name>/test.outputs/).
set -euo pipefail
cd "$TEST_SRCDIR/$TEST_WORKSPACE"

forkcheck=$1
shift
flags=()
while [ $# -gt 0 ] && [ "$1" != "--server" ]; do flags+=("$1"); shift; done
shift  # --server
server=()
while [ $# -gt 0 ] && [ "$1" != "--end-of-server" ]; do server+=("$1"); shift; done
shift  # --end-of-server
if [ -n "${TEST_UNDECLARED_OUTPUTS_DIR:-}" ]; then
  flags+=("--html=$TEST_UNDECLARED_OUTPUTS_DIR/forkcheck.html" "--trace=$TEST_UNDECLARED_OUTPUTS_DIR/forkcheck.trace.json")
fi
flags+=("$@")
[ -n "${XML_OUTPUT_FILE:-}" ] && flags+=("--junit=$XML_OUTPUT_FILE")
exec "$forkcheck" "${flags[@]}" -- "${server[@]}"
