#!/usr/bin/env bash
# compat.sh: runs forkcheck against real third-party forking servers from
# Debian packages, on 127.0.0.1 only, and tabulates their verdicts per
# requirement of conformance/SPEC.md, in two groups:
#   echo servers  djb's tcpserver, socat's fork mode, xinetd, Python's
#                 socketserver.ForkingTCPServer (--protocol=echo)
#   daemons       busybox httpd and Python's ForkingMixIn + HTTPServer
#                 (--protocol=http), dropbear (--protocol=banner), vsftpd
#                 (--protocol=exchange:tools/daemons/ftp.exchange); their
#                 wrappers are in tools/daemons/
#
#   tools/compat.sh [--update-doc] [--out=DIR] [--seed=N] [SERVER...]
#
#   SERVER        run only these (default: all); --list prints them
#   --out=DIR     where the reports go (default ${TMPDIR:-/tmp}/forkcheck-compat):
#                 NAME.json, NAME.txt (forkcheck's text report), table.md (echo
#                 servers) and table-daemons.md
#   --seed=N      forkcheck's seed, fixed so that runs are reproducible (default 7)
#   --update-doc  also splice the tables into conformance/COMPATIBILITY.md:
#                 table.md between its "compat.sh: generated" markers,
#                 table-daemons.md between its "compat.sh: generated daemons"
#                 markers; a group none of whose servers ran is left alone
#   FORKCHECK=PATH  use this forkcheck binary; otherwise it is built with
#                 bazel (bazel build //conformance:forkcheck) and taken from bazel-bin
#
# A server whose package is not installed is reported as skipped, not as an
# error (tools/bootstrap.sh installs ucspi-tcp, socat, xinetd, busybox,
# dropbear-bin and vsftpd). vsftpd must run as root. Exit
# status: 0 when every installed server was checked (whatever its verdicts),
# 2 when forkcheck failed to run (its exit 2) or a process outlived its run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="${TMPDIR:-/tmp}/forkcheck-compat"
seed=7
update_doc=0
only=()

echo_servers=(tcpserver socat-exec socat-pipe socat-status socat-forever xinetd-internal xinetd-cat python-forking)
daemons=(busybox-httpd python-forking-http dropbear vsftpd)
all_servers=("${echo_servers[@]}" "${daemons[@]}")
group_of() { [[ " ${daemons[*]} " == *" $1 "* ]] && echo daemons || echo echo; }

for arg in "$@"; do
  case "$arg" in
    --out=*) out=${arg#--out=} ;;
    --seed=*) seed=${arg#--seed=} ;;
    --update-doc) update_doc=1 ;;
    --list) printf '%s\n' "${all_servers[@]}"; exit 0 ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "compat.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    *) only+=("$arg") ;;
  esac
done
[ ${#only[@]} -eq 0 ] && only=("${all_servers[@]}")
for name in "${only[@]}"; do
  [[ " ${all_servers[*]} " == *" $name "* ]] || { echo "compat.sh: unknown server $name (see --list)" >&2; exit 2; }
done

if [ -z "${FORKCHECK:-}" ]; then
  (cd "$root" && bazel build //conformance:forkcheck >&2)
  FORKCHECK="$root/bazel-bin/conformance/forkcheck"
fi
[ -x "$FORKCHECK" ] || { echo "compat.sh: no forkcheck binary at $FORKCHECK" >&2; exit 2; }

mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/forkcheck-compat.XXXXXX")
# Every process started for a run carries this token in its environment (or
# the work directory in its command line), so leftovers can be found by it.
token="forkcheck-compat-$$-$RANDOM"
current_pid=
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  # forkcheck kills and reaps its server tree when it gets SIGTERM.
  if [ -n "$current_pid" ] && kill -0 "$current_pid" 2>/dev/null; then
    kill -TERM "$current_pid" 2>/dev/null || true
    wait "$current_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# xinetd takes its services from a configuration file, and the port is only
# known when forkcheck replaces {port}: this wrapper writes a one-service
# configuration for that port (with printf, a builtin, so no extra process
# loads forkcheck's LD_PRELOAD before xinetd) and execs xinetd in the
# foreground, so xinetd keeps the wrapper's pid.
#   internal: xinetd's built-in echo (builtins.c stream_echo, in a forked child)
#   cat:      an inetd-style service: a forked child execs /bin/cat on the socket
# instances = 40 is declared to forkcheck as --max-children=40.
# cps = 0 10: the rate limit (default 50 connections/s, then the service is
# switched off for 10 s) is disabled, since forkcheck's bursts would trip it;
# 10 s is kept as the pause xinetd also takes after accept() fails with EMFILE.
# log_on_success = PID EXIT logs "EXIT: ID status=N pid=P" or
# "EXIT: ID signal=N pid=P" for each reaped child (log.c svc_log_exit) to the
# log_type file, here xinetd's stderr.
cat > "$work/run-xinetd.sh" <<'EOF'
#!/usr/bin/env bash
set -eu
mode=$1 port=$2
conf="$(dirname "$0")/xinetd-$mode-$port.conf"
{
  printf 'defaults\n{\n}\n\n'
  if [ "$mode" = internal ]; then
    printf 'service echo\n{\n  type = INTERNAL UNLISTED\n  id = echo-stream\n'
  else
    printf 'service forkcheck-cat\n{\n  type = UNLISTED\n  server = /bin/cat\n'
  fi
  printf '  socket_type = stream\n  protocol = tcp\n  wait = no\n  user = root\n'
  printf '  bind = 127.0.0.1\n  port = %s\n' "$port"
  printf '  instances = 40\n  cps = 0 10\n'
  printf '  log_type = FILE /dev/stderr\n  log_on_success = PID EXIT\n  log_on_failure = HOST\n}\n'
} > "$conf"
exec xinetd -dontfork -filelog /dev/stderr -f "$conf"
EOF
chmod +x "$work/run-xinetd.sh"

corpus_py="$root/scenarios/testdata/corpus/forking_tcp_server.py"
daemons_dir="$root/tools/daemons"

# Sets need (a program that must exist), decl (forkcheck's declarations) and
# cmd (the server command, with forkcheck's {port}) for a server name.
define() {
  need='' decl=() cmd=()
  case "$1" in
    tcpserver)
      # -v: "tcpserver: end PID status N" per reaped child, N the raw wait
      # status; -c 40 caps children (40 is also the default); -H -R -l 0: no
      # DNS (/etc/resolv.conf may name an off-host server) and no ident
      # lookups, so every packet stays on loopback.
      need=tcpserver
      decl=('--profile=status,limit' --max-children=40
            '--status-pattern=end (?P<pid>\d+) status (?P<raw>\d+)')
      cmd=(tcpserver -v -H -R -l 0 -c 40 127.0.0.1 '{port}' cat) ;;
    socat-exec)
      # The usual socat echo idiom with a process per connection: the forked
      # socat child relays between the socket and a cat it EXECs.
      need=socat
      cmd=(socat 'TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork' EXEC:cat) ;;
    socat-pipe)
      # socat's own in-process echo: the forked child relays the socket
      # through an unnamed pipe (the man page: PIPE "works as an echo").
      need=socat
      cmd=(socat 'TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork' PIPE) ;;
    socat-status)
      # As socat-exec, with -d -d -d: socat's SIGCHLD handler then logs
      # "waitpid(): child PID exited with status N" / "exited on signal N"
      # (xiosigchld.c childdied, info level) for each reaped child.
      need=socat
      decl=(--profile=status
            '--status-pattern=waitpid\(\): child (?P<pid>\d+) exited (?:with status (?P<code>\d+)|on signal (?P<signal>\d+))')
      cmd=(socat -d -d -d 'TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork' EXEC:cat) ;;
    socat-forever)
      # As socat-exec with socat's retry option "forever": after a failed
      # fork() or accept() socat sleeps (interval, 1 s) and listens again
      # instead of exiting.
      need=socat
      cmd=(socat 'TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,forever' EXEC:cat) ;;
    xinetd-internal|xinetd-cat)
      # shutdown is declared because xinetd(8) promises it: "SIGTERM
      # terminates all running servers before terminating xinetd".
      need=xinetd
      decl=('--profile=status,limit,shutdown' --max-children=40 --shutdown-grace=2000
            '--status-pattern=EXIT: \S+ (?:status=(?P<code>\d+)|signal=(?P<signal>\d+)) pid=(?P<pid>\d+)')
      cmd=("$work/run-xinetd.sh" "${1#xinetd-}" '{port}') ;;
    python-forking)
      # Debian's python3 (socketserver.ForkingTCPServer, max_children = 40).
      need=/usr/bin/python3
      [ -f "$corpus_py" ] || need="$corpus_py"
      decl=(--profile=limit --max-children=40)
      cmd=(/usr/bin/python3 "$corpus_py" '--port={port}') ;;
    # The daemons: not echo servers, so each is spoken to in its own
    # protocol; what each declares is what it really has (see
    # conformance/COMPATIBILITY.md, "Daemons").
    busybox-httpd)
      # busybox httpd -f; the wrapper makes the case's directory the document
      # root, with a 16 MiB large.bin for INTR-3. It has an idle timeout, 60 s
      # to read a request header (networking/httpd.c HEADER_READ_TIMEOUT), but
      # --profile=alarm --idle-timeout=60000 is not declared here: ALRM-1
      # alone would take over a minute (conformance/COMPATIBILITY.md, busybox
      # httpd, says how it goes).
      need=busybox
      decl=(--protocol=http --http-large-path=/large.bin)
      cmd=("$daemons_dir/busybox_httpd.sh" '{port}') ;;
    python-forking-http)
      # socketserver.ForkingMixIn + http.server.HTTPServer (max_children = 40).
      need=/usr/bin/python3
      decl=(--protocol=http --http-large-path=/large.bin --profile=limit --max-children=40)
      cmd=(/usr/bin/python3 "$daemons_dir/forking_http_server.py" '{port}') ;;
    dropbear)
      # An SSH server read up to its banner; at most 5 unauthenticated
      # sessions per address (default_options.h MAX_UNAUTH_PER_IP), and every
      # connection of forkcheck's comes from 127.0.0.1. The absolute path
      # lets the listener re-exec itself for each session (fexecve).
      need=/usr/sbin/dropbear
      decl=(--protocol=banner '--banner=^SSH-2\.0-' --profile=limit --max-children=5)
      cmd=(/usr/sbin/dropbear -F -E -R -P dropbear.pid -p '127.0.0.1:{port}') ;;
    vsftpd)
      # An anonymous FTP login, then held idle. idle_session_timeout=3 is
      # declared as --idle-timeout=3000; --reap-grace=2000 because vsftpd
      # reaps from its main loop, up to the alarm(1) it arms in its SIGCHLD
      # handler later (sysutil.c vsf_sysutil_common_sighandler()).
      need=/usr/sbin/vsftpd
      decl=("--protocol=exchange:$daemons_dir/ftp.exchange" --profile=alarm --idle-timeout=3000 --reap-grace=2000)
      cmd=("$daemons_dir/vsftpd.sh" '{port}' -oidle_session_timeout=3) ;;
  esac
}

# Processes of ours still alive: the token in their environment, or the work
# directory in their command line.
leftovers() {
  local dir pid
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$pid" = "$$" ] && continue
    if grep -qs -- "$token" "$dir/environ" ||
       { tr '\0' ' ' < "$dir/cmdline"; } 2>/dev/null | grep -qs -- "$work"; then
      echo "$pid"
    fi
  done
}

# xinetd chdirs to / (main.c), so a child of xinetd-cat killed by SIGQUIT
# (STAT-4) dumps /core: remove it afterwards if this run created it.
core_before=
core_check_before() { [ -e /core ] && core_before=yes || core_before=no; }
core_check_after() {
  if [ "$core_before" = no ] && [ -f /core ] &&
     [ "$(od -An -tx1 -j16 -N1 /core 2>/dev/null | tr -d ' ')" = 04 ]; then
    rm -f /core
    echo "compat.sh: removed the core file /core that this run's xinetd child dumped" >&2
  elif [ "$core_before" = yes ]; then
    echo "compat.sh: note: /core existed before the run; forkcheck's STAT-4 may then see no new core file" >&2
  fi
}

version_of() {
  case "$1" in
    tcpserver) dpkg-query -W -f='ucspi-tcp ${Version}' ucspi-tcp 2>/dev/null || true ;;
    socat-*) dpkg-query -W -f='socat ${Version}' socat 2>/dev/null || true ;;
    xinetd-*) dpkg-query -W -f='xinetd ${Version}' xinetd 2>/dev/null || true ;;
    python-*) dpkg-query -W -f='python3.11 ${Version}' python3.11-minimal 2>/dev/null || /usr/bin/python3 --version 2>&1 || true ;;
    busybox-*) dpkg-query -W -f='busybox ${Version}' busybox 2>/dev/null || true ;;
    dropbear) dpkg-query -W -f='dropbear-bin ${Version}' dropbear-bin 2>/dev/null || true ;;
    vsftpd) dpkg-query -W -f='vsftpd ${Version}' vsftpd 2>/dev/null || true ;;
  esac
}

status=0
: > "$out/runs.tsv"
rm -f "$out/table.md" "$out/table-daemons.md"
for name in "${only[@]}"; do
  define "$name"
  group=$(group_of "$name")
  rm -f "$out/$name.json" "$out/$name.txt"
  if ! command -v "$need" >/dev/null 2>&1 && [ ! -e "$need" ]; then
    echo "compat.sh: $name: skipped ($need is not installed)" >&2
    printf '%s\t%s\tskipped\t%s is not installed\t\n' "$group" "$name" "$need" >> "$out/runs.tsv"
    continue
  fi
  printf 'compat.sh: %s: forkcheck --seed=%s %s -- %s\n' "$name" "$seed" "${decl[*]}" "${cmd[*]}" >&2
  [ "$name" = xinetd-cat ] && core_check_before
  rc=0
  env FORKCHECK_COMPAT_TOKEN="$token" "$FORKCHECK" --seed="$seed" --json="$out/$name.json" "${decl[@]}" -- "${cmd[@]}" \
    > "$out/$name.txt" 2>&1 &
  current_pid=$!
  wait "$current_pid" || rc=$?
  current_pid=
  [ "$name" = xinetd-cat ] && core_check_after
  left=$(leftovers)
  if [ -n "$left" ]; then
    echo "compat.sh: $name: processes outlived the run: ${left//$'\n'/ }; killing them" >&2
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
    status=2
  fi
  shown_cmd=$(printf '%s ' "${cmd[@]}" | sed -e "s#$work/#tools/compat.sh:#" -e "s#$root/##g")
  shown_decl=$(printf "'%s' " "${decl[@]}" | sed -e "s#$root/##g")
  [ ${#decl[@]} -eq 0 ] && shown_decl=
  case "$rc" in
    0|1) printf '%s\t%s\tran\t%s\t%s\t%s\t%s\n' "$group" "$name" "$(version_of "$name")" "$rc" "$shown_decl" "${shown_cmd% }" >> "$out/runs.tsv" ;;
    *) echo "compat.sh: $name: forkcheck exited $rc; see $out/$name.txt" >&2
       printf '%s\t%s\terror\tforkcheck exited %s\t\n' "$group" "$name" "$rc" >> "$out/runs.tsv"
       status=2 ;;
  esac
done

kit_rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ] && kit_rev="$kit_rev+local changes"

python3 - "$out" "$seed" "$kit_rev" <<'PY'
import json, os, re, sys

out, seed, kit_rev = sys.argv[1], sys.argv[2], sys.argv[3]
# One table per group: the echo servers (table.md) and the daemons spoken to
# in other protocols (table-daemons.md), each with its own rows and columns.
groups = {}
for line in open(os.path.join(out, "runs.tsv")):
    fields = line.rstrip("\n").split("\t")
    groups.setdefault(fields[0], []).append(fields[1:])

def protocol_of(decl):
    m = re.search(r"--protocol=([^' ]+)", decl)
    if not m:
        return "echo"
    p = m.group(1)
    return "exchange:" + os.path.basename(p[len("exchange:"):]) if p.startswith("exchange:") else p

def tabulate(group, runs, table_file):
    reports, rows = {}, []
    for fields in runs:
        name, state = fields[0], fields[1]
        path = os.path.join(out, name + ".json")
        if state == "ran" and os.path.exists(path):
            reports[name] = json.load(open(path))
            for r in reports[name]["results"]:
                key = (r["id"], r["level"], r["profile"])
                if key not in rows:
                    rows.append(key)

    names = [f[0] for f in runs]
    def cell(name, rid):
        if name not in reports:
            return "–"
        for r in reports[name]["results"]:
            if r["id"] == rid:
                return r["status"].upper()
        return "–"

    def summary(name):
        fields = next(f for f in runs if f[0] == name)
        if name not in reports:
            return fields[1] + (": " + fields[2] if len(fields) > 2 and fields[2] else "")
        s = reports[name]["summary"]
        return "%s pass, %s fail, %s skip" % (s.get("passed", "?"), s.get("failed", "?"), s.get("skipped", "?"))

    # Terminal: compact, one column per server.
    width = max(8, max(len(n) for n in names) + 1) if names else 8
    short = lambda s: {"PASS": "pass", "FAIL": "FAIL", "SKIP": "skip"}.get(s, s)
    print("%-16s" % "requirement" + "".join("%-*s" % (width, n) for n in names))
    for rid, level, profile in rows:
        print("%-16s" % ("%s %s" % (rid, level)) + "".join("%-*s" % (width, short(cell(n, rid))) for n in names))
    for n in names:
        print("%s: %s" % (n, summary(n)))
    print()

    # Markdown section for conformance/COMPATIBILITY.md.
    md = []
    md.append("Seed %s, forkcheck at %s. Cells: PASS, FAIL, SKIP (not applicable: profile not "
              "declared%s, or the kit could not provoke the situation; see the text reports)."
              % (seed, kit_rev, ", the protocol cannot give what the check needs" if group == "daemons" else ""))
    md.append("")
    md.append("| requirement | level | profile | " + " | ".join(names) + " |")
    md.append("|---|---|---|" + "---|" * len(names))
    if group == "daemons":
        protocols = [protocol_of(f[4]) if f[1] == "ran" else "–" for f in runs]
        md.append("| *protocol* | | | " + " | ".join("`%s`" % p if p != "–" else p for p in protocols) + " |")
    for rid, level, profile in rows:
        cells = []
        for n in names:
            c = cell(n, rid)
            cells.append("**FAIL**" if c == "FAIL" else c)
        md.append("| [%s](SPEC.md#%s) | %s | %s | %s |" % (rid, rid.lower(), level, profile, " | ".join(cells)))
    md.append("| *summary* | | | " + " | ".join(summary(n) for n in names) + " |")
    md.append("")
    md.append("Servers as run (`{port}` is forkcheck's; each with `--seed=%s --json=OUT/NAME.json`):" % seed)
    md.append("")
    for f in runs:
        name = f[0]
        if f[1] == "ran":
            version, rc, decl, cmd = f[2], f[3], f[4], f[5]
            md.append("- **%s** (%s): `forkcheck %s-- %s` (exit %s)" % (name, version or "?", decl, cmd, rc))
        else:
            md.append("- **%s**: %s" % (name, f[1] + (": " + f[2] if len(f) > 2 and f[2] else "")))
    open(os.path.join(out, table_file), "w").write("\n".join(md) + "\n")

for group, table_file in (("echo", "table.md"), ("daemons", "table-daemons.md")):
    if group in groups:
        tabulate(group, groups[group], table_file)
PY

if [ "$update_doc" = 1 ]; then
  doc="$root/conformance/COMPATIBILITY.md"
  python3 - "$doc" "$out" <<'PY'
import os, sys
doc, out = sys.argv[1], sys.argv[2]
text = open(doc).read()
# Each group's table replaces its own section; a group none of whose
# servers ran this time (compat.sh SERVER...) keeps its section.
for table_file, marker in (("table.md", "compat.sh: generated"), ("table-daemons.md", "compat.sh: generated daemons")):
    table = os.path.join(out, table_file)
    if not os.path.exists(table):
        continue
    begin, end = "<!-- %s begin -->" % marker, "<!-- %s end -->" % marker
    if begin not in text or end not in text:
        sys.exit("compat.sh: %s has no '%s' section markers" % (doc, marker))
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    text = head + begin + "\n" + open(table).read() + end + tail
open(doc, "w").write(text)
PY
  echo "compat.sh: updated $doc" >&2
fi

echo "compat.sh: reports in $out (table.md, table-daemons.md, NAME.json, NAME.txt)" >&2
exit "$status"
