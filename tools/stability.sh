#!/usr/bin/env bash
# stability.sh: runs the whole catalogue N times (a different seed each
# time) against the reference server and each server of the false-alarm
# corpus, and checks that every run gives the same verdict per requirement.
#
#   tools/stability.sh [--runs=N] [SERVER...]     (default: 20 runs, all servers)
#   tools/stability.sh --list
#
# Prints one line per server: "SERVER: N runs, identical verdicts: ..." or
# the requirements whose verdict changed, with the runs. Exit status: 0 when
# every server gave identical verdicts, 1 when one did not, 2 on usage errors.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=20
only=()
all=(reference reference-signalfd textbook textbook-static sa-restart poll self-pipe signalfd sigign
     dual-stack dual-stack-ipv6 python-forking)

for arg in "$@"; do
  case "$arg" in
    --runs=*) runs=${arg#--runs=} ;;
    --list) printf '%s\n' "${all[@]}"; exit 0 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "stability.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    *) only+=("$arg") ;;
  esac
done
[ ${#only[@]} -eq 0 ] && only=("${all[@]}")

(cd "$root" && bazel build //conformance:forkcheck //src:reference_server //scenarios/testdata/corpus:all >&2)
bin="$root/bazel-bin"
corpus="$bin/scenarios/testdata/corpus"
out=$(mktemp -d "${TMPDIR:-/tmp}/forkcheck-stability.XXXXXX")

# The declarations and command of each server, as the tests use them.
command_for() {
  case "$1" in
    reference) echo "" ;;
    reference-signalfd) echo "--profile=status,hooks,alarm,limit,shutdown --idle-timeout=500 --max-children=40 --shutdown-grace=2000 -- $bin/src/reference_server --port={port} --reaper=signalfd --test-hooks --idle-timeout=500 --max-children=40 --shutdown-grace=2000" ;;
    textbook) echo "--profile=status -- $corpus/textbook_server --port={port}" ;;
    textbook-static) echo "--profile=status -- $corpus/textbook_server_static --port={port}" ;;
    sa-restart) echo "--profile=status -- $corpus/sa_restart_server --port={port}" ;;
    poll) echo "--profile=status -- $corpus/poll_server --port={port}" ;;
    self-pipe) echo "--profile=status -- $corpus/self_pipe_server --port={port}" ;;
    signalfd) echo "--profile=status -- $corpus/signalfd_server --port={port}" ;;
    sigign) echo "-- $corpus/sigign_server --port={port}" ;;
    dual-stack) echo "--profile=status -- $corpus/dual_stack_server --port={port}" ;;
    dual-stack-ipv6) echo "--profile=status --host=::1 -- $corpus/dual_stack_server --port={port}" ;;
    python-forking) echo "--profile=limit --max-children=40 -- /usr/bin/python3 $root/scenarios/testdata/corpus/forking_tcp_server.py --port={port}" ;;
    *) echo "stability.sh: unknown server $1 (see --list)" >&2; exit 2 ;;
  esac
}

verdicts() {
  python3 -c 'import json,sys; print(" ".join(r["id"]+"="+r["status"] for r in json.load(open(sys.argv[1]))["results"]))' "$1"
}

status=0
for name in "${only[@]}"; do
  read -r -a args <<< "$(command_for "$name")"
  first=""
  changed=""
  for i in $(seq 1 "$runs"); do
    json="$out/$name.$i.json"
    "$bin/conformance/forkcheck" --seed="$i" --json="$json" "${args[@]}" > "$out/$name.$i.txt" 2>&1 || true
    [ -s "$json" ] || { echo "$name: run $i wrote no report (see $out/$name.$i.txt)"; status=1; continue; }
    now=$(verdicts "$json")
    if [ -z "$first" ]; then
      first=$now
    elif [ "$now" != "$first" ]; then
      # diff exits 1 on a difference: under set -e that must not end the script.
      changed+=" run $i: $(diff <(tr ' ' '\n' <<< "$first") <(tr ' ' '\n' <<< "$now") | grep '^>' | tr '\n' ' ' || true)"
    fi
  done
  not_pass=$(tr ' ' '\n' <<< "$first" | grep -v '=pass$' | tr '\n' ' ' || true)
  if [ -z "$changed" ]; then
    echo "$name: $runs runs, identical verdicts (not pass: ${not_pass:-none})"
  else
    echo "$name: verdicts changed:$changed"
    status=1
  fi
done
echo "reports in $out"
exit "$status"
