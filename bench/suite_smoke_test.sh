#!/usr/bin/env bash
# The benchmark suite runs end to end in quick mode and writes its table and
# plot. No timing is asserted: only that every section produced its rows.
set -uo pipefail
suite="$TEST_SRCDIR/forkcheck/bench/suite"
out="$TEST_TMPDIR/bench"
"$suite" --quick --out="$out" > "$TEST_TMPDIR/stdout.txt" 2> "$TEST_TMPDIR/stderr.txt"
rc=$?
fail() {
  echo "FAIL: $*"
  echo "--- suite stderr (last 40 lines)"; tail -n 40 "$TEST_TMPDIR/stderr.txt"
  [ -f "$out/RESULTS.md" ] && { echo "--- RESULTS.md"; cat "$out/RESULTS.md"; }
  exit 1
}
[ "$rc" -eq 0 ] || fail "suite exited $rc"
md="$out/RESULTS.md"
[ -s "$md" ] || fail "no RESULTS.md"
for row in '| minimal C (baseline) |' '| reference, handler reaper |' '| reference, signalfd reaper |' \
           '| reference, prefork |' '| tcpserver (ucspi-tcp) |' '| socat fork |' '| Python ForkingTCPServer |' \
           '## Burst of' '## Reap latency' '## Memory per child' '## The kit itself' 'Machine: '; do
  grep -qF -- "$row" "$md" || fail "RESULTS.md lacks: $row"
done
# The burst rows carry a number of lost children.
grep -E '^\| reference, handler reaper \|.*\| [0-9]+ \|' "$md" > /dev/null || fail "no burst row for the handler reaper"
grep -qF '| minimal C (baseline) |' "$TEST_TMPDIR/stdout.txt" || fail "the table was not printed"
svg="$out/results.svg"
[ -s "$svg" ] || fail "no results.svg"
head -c 200 "$svg" | grep -q '<svg' || fail "results.svg is not an SVG"
grep -q '</svg>' "$svg" || fail "results.svg is truncated"
echo "suite_smoke_test: RESULTS.md and results.svg written"
