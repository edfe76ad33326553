#!/usr/bin/env bash
# bazel run -c opt //bench:suite [-- --quick] [-- --out=DIR]: see suite.py.
set -euo pipefail
if [[ -z "${RUNFILES_DIR:-}" ]]; then
  if [[ -n "${TEST_SRCDIR:-}" ]]; then
    RUNFILES_DIR="$TEST_SRCDIR"
  elif [[ -d "$0.runfiles" ]]; then
    RUNFILES_DIR="$(cd "$0.runfiles" && pwd)"
  else
    RUNFILES_DIR="$(cd "$(dirname "$0")/../.." && pwd)"  # run from inside the runfiles tree
  fi
fi
export RUNFILES_DIR
exec /usr/bin/python3 "$RUNFILES_DIR/forkcheck/bench/suite.py" "$@"
