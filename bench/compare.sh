#!/usr/bin/env bash
# Hammers reference_server and minimal_echo for SECONDS each (default 10) and
# compares connections/s, zombies left under each server, and whether the
# reference server exits 0 on SIGTERM.
# Usage: compare.sh [SECONDS] [CONCURRENCY]   (or: bazel run //bench:compare)
set -u

SECONDS_EACH="${1:-${BENCH_SECONDS:-10}}"
CONCURRENCY="${2:-${BENCH_CONCURRENCY:-8}}"

find_bin() {  # $1 = package/name; works under bazel run and from a checkout
  local c
  for c in "${RUNFILES_DIR:-/nonexistent}/forkcheck/$1" "$(dirname "$0")/../$1" \
           "$(dirname "$0")/compare.runfiles/forkcheck/$1" "bazel-bin/$1"; do
    [ -x "$c" ] && { echo "$c"; return 0; }
  done
  echo "compare.sh: cannot find $1 (run bazel build //bench:all //src:reference_server)" >&2
  exit 1
}

REFERENCE="$(find_bin src/reference_server)"
MINIMAL="$(find_bin bench/minimal_echo)"
HAMMER="$(find_bin bench/hammer)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

zombies_under() {  # $1 = pid: children of $1 in state Z, via /proc
  local n=0 stat rest state ppid
  for stat in /proc/[0-9]*/stat; do
    { read -r rest < "$stat"; } 2>/dev/null || continue
    rest="${rest##*) }"
    state="${rest%% *}"
    rest="${rest#* }"
    ppid="${rest%% *}"
    [ "$ppid" = "$1" ] && [ "$state" = "Z" ] && n=$((n + 1))
  done
  echo "$n"
}

start_server() {  # $1 = name, rest = command; sets PID and PORT
  local name="$1"; shift
  "$@" > "$TMP/$name.out" 2> "$TMP/$name.err" &
  PID=$!
  for _ in $(seq 1 500); do
    grep -q '^listening on ' "$TMP/$name.out" 2>/dev/null && break
    sleep 0.01
  done
  PORT="$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$TMP/$name.out")"
  [ -n "$PORT" ] || { echo "$name did not start" >&2; cat "$TMP/$name.err" >&2; exit 1; }
}

run_one() {  # $1 = name, rest = command; sets RATE, ZOMBIES, RC
  local name="$1"; shift
  start_server "$name" "$@"
  local line
  line="$("$HAMMER" --port "$PORT" --seconds "$SECONDS_EACH" --payload 16 \
          --concurrency "$CONCURRENCY")"
  local hammer_rc=$?
  echo "$name: $line (hammer exit $hammer_rc)"
  RATE="$(sed -n 's/.*conn_per_s=\([0-9.]*\).*/\1/p' <<< "$line")"
  # Children exit right after their client closes: give stragglers a moment.
  sleep 0.5
  ZOMBIES="$(zombies_under "$PID")"
  kill -TERM "$PID"
  wait "$PID"
  RC=$?
  [ "$hammer_rc" -eq 0 ] || { echo "$name: echo mismatch" >&2; FAILED=1; }
}

FAILED=0
run_one reference "$REFERENCE" --port 0 --max-children 256
REF_RATE="$RATE" REF_ZOMBIES="$ZOMBIES" REF_RC="$RC"
run_one minimal "$MINIMAL" 0
MIN_RATE="$RATE" MIN_ZOMBIES="$ZOMBIES" MIN_RC="$RC"

echo
printf '%-10s %12s %8s %10s\n' server conn/s zombies exit
printf '%-10s %12s %8s %10s\n' reference "$REF_RATE" "$REF_ZOMBIES" "$REF_RC"
printf '%-10s %12s %8s %10s\n' minimal "$MIN_RATE" "$MIN_ZOMBIES" "$MIN_RC (SIGTERM default)"
awk -v r="$REF_RATE" -v m="$MIN_RATE" 'BEGIN { if (m > 0) printf "ratio reference/minimal: %.3f\n", r / m }'

[ "$REF_ZOMBIES" -eq 0 ] || { echo "FAIL: reference left zombies"; FAILED=1; }
[ "$REF_RC" -eq 0 ] || { echo "FAIL: reference exit code $REF_RC"; FAILED=1; }
exit "$FAILED"
