#!/usr/bin/env bash
# Builds and tests examples/external_workspace, a separate Bazel workspace
# that brings forkcheck in with local_repository and loads
# @forkcheck//:defs.bzl, with a Bazel of its own (offline, in batch mode, its
# output root under $TEST_TMPDIR): its conforming server passes, and its
# planted bug fails with REAP-2 in the test.xml Bazel keeps.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }

# The test's own runfile links back to the source tree, where the second
# workspace lives beside it (this workspace ignores it: .bazelignore).
ws="$(dirname "$(readlink -f "$TEST_SRCDIR/forkcheck/examples/external_workspace_test.sh")")/external_workspace"
[ -f "$ws/WORKSPACE" ] || fail "no workspace at $ws"
export HOME="$TEST_TMPDIR/home"
mkdir -p "$HOME"
nested() {
  (cd "$ws" && bazel --batch --output_user_root="$TEST_TMPDIR/bazel_root" "$@")
}
flags=(--symlink_prefix=/ --test_output=errors)

nested test "${flags[@]}" //:echo_conforms || fail "the conforming server did not pass"
testlogs=$(nested info "${flags[@]}" bazel-testlogs)
grep -q 'failures="0"' "$testlogs/echo_conforms/test.xml" || fail "echo_conforms: $(cat "$testlogs/echo_conforms/test.xml")"

if nested test "${flags[@]}" //:echo_with_planted_bug; then
  fail "the planted bug passed"
fi
xml="$testlogs/echo_with_planted_bug/test.xml"
grep -q '<testcase classname="forkcheck.core" name="REAP-2' "$xml" || fail "no REAP-2 case in $xml"
grep -q '<failure message="MUST REAP-2 failed"' "$xml" || fail "REAP-2 did not fail in $xml: $(cat "$xml")"
echo "external workspace: echo_conforms passed, echo_with_planted_bug failed REAP-2"
