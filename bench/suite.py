#!/usr/bin/python3
"""The benchmark suite: bazel run -c opt //bench:suite [-- --quick] [-- --out=DIR]

Measures the reference server and third-party forking servers against the
minimal C fork-per-connection echo server (bench/minimal_echo.c) in the same
run: for every figure, rounds of the baseline (A) and one peer (B) alternate,
A B A B ..., and the ratio is the median over the rounds of (peer round /
the baseline round just before it). Writes RESULTS.md and
results.svg (into bench/ of the workspace under `bazel run`, or --out=DIR)
and prints the tables.

Standard library only (Debian's /usr/bin/python3). Every server is started
in a process group of its own and killed with it, also on errors and signals;
every wait has a deadline.
"""

import argparse
import atexit
import ctypes
import datetime
import html
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

# ------------------------------------------------------------------ config


class Config:
    def __init__(self, quick):
        self.quick = quick
        self.rounds = 1 if quick else 5  # connections/s, throughput, reap latency
        self.burst_rounds = 1 if quick else 3
        self.memory_rounds = 1 if quick else 3
        self.rate_seconds = 0.3 if quick else 1.0
        self.concurrencies = [1, 4, 16]
        self.throughput_seconds = 0.3 if quick else 1.0
        self.reap_seconds = 0.3 if quick else 1.0
        self.reap_clients = 4
        self.sample_ms = 1.0
        self.burst_sessions = 200 if quick else 10000
        self.burst_deadline = 15 if quick else 60
        self.memory_sessions = 5 if quick else 20
        self.settle_deadline = 1.0 if quick else 3.0
        self.kit_args = ["--only=ECHO-1"] if quick else []
        self.kit_timeout = 120 if quick else 900


# ------------------------------------------------------------------ processes

STARTED = []  # every Popen we started (servers, the kit), killed at exit


def tracked_pids():
    return {p.pid for p in STARTED}


def children_of(pid):
    """Children of every thread of pid (zombies included until reaped)."""
    found = []
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return found
    for tid in tasks:
        try:
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                found.extend(int(x) for x in f.read().split())
        except OSError:
            pass
    return found


def state_of(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rfind(")") + 2]


def reap_orphans():
    """We are a child subreaper: orphans of killed servers end up here."""
    mine = tracked_pids()
    for pid in children_of(os.getpid()):
        if pid in mine or state_of(pid) != "Z":
            continue
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


def kill_group(proc, grace=0.0):
    if proc.poll() is None and grace > 0:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    if proc in STARTED:
        STARTED.remove(proc)
    reap_orphans()


def cleanup():
    for proc in list(STARTED):
        kill_group(proc)


def on_signal(signum, _frame):
    cleanup()
    sys.stderr.write("suite: stopped by signal %d; every server killed\n" % signum)
    os._exit(128 + signum)


def become_subreaper():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def raise_nofile():
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def echo_probe(port, timeout=1.0):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"p")
            return s.recv(1) == b"p"
    except OSError:
        return False


# ------------------------------------------------------------------ servers


class Unavailable(Exception):
    pass


class Server:
    def __init__(self, key, label, argv, how, kind="fork"):
        self.key = key
        self.label = label
        self.argv = argv  # a function of the port
        self.how = how  # how it was run, for RESULTS.md
        self.kind = kind  # fork | prefork
        self.proc = None
        self.port = None
        self.base_children = 0
        self.err_path = None
        self.unavailable = None

    def start(self, tmp):
        reason = "did not answer an echo within 10 s"
        for attempt in range(3):
            port = free_port()
            stem = os.path.join(tmp, "%s.%d" % (self.key, attempt))
            self.err_path = stem + ".err"
            with open(stem + ".out", "wb") as out, open(self.err_path, "wb") as err:
                proc = subprocess.Popen(
                    self.argv(port), stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                    cwd=tmp, process_group=0)
            STARTED.append(proc)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and proc.poll() is None:
                if echo_probe(port):
                    self.proc, self.port = proc, port
                    self._learn_base()
                    return
                time.sleep(0.02)
            reason = tail(self.err_path) or ("exited with %s" % proc.poll())
            kill_group(proc)
        raise Unavailable(reason)

    def _learn_base(self):
        if self.kind != "prefork":
            self.base_children = 0
            return
        time.sleep(0.5)
        self.base_children = len([p for p in children_of(self.proc.pid) if state_of(p) != "Z"])

    def settle(self, deadline_s):
        """Waits until the previous round's children are gone (bounded)."""
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            kids = children_of(self.proc.pid)
            if len(kids) <= self.base_children and not any(state_of(p) == "Z" for p in kids):
                return True
            time.sleep(0.01)
        return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is not None:
            kill_group(self.proc)
        self.proc = None

    def status_lines(self):
        try:
            with open(self.err_path, "rb") as f:
                return sum(1 for line in f if re.match(rb"child \d+ (exited|killed)", line))
        except OSError:
            return 0


def tail(path, n=2):
    try:
        with open(path, errors="replace") as f:
            lines = [l.strip() for l in f if l.strip()]
        return " / ".join(lines[-n:])
    except OSError:
        return ""


def runfile(rel):
    for base in (os.environ.get("RUNFILES_DIR"), os.environ.get("TEST_SRCDIR")):
        if base and os.path.exists(os.path.join(base, "forkcheck", rel)):
            return os.path.join(base, "forkcheck", rel)
    here = os.path.dirname(os.path.abspath(__file__))
    for cand in (os.path.join(here, "..", rel), os.path.join(here, "..", "bazel-bin", rel)):
        if os.path.exists(cand):
            return os.path.abspath(cand)
    raise SystemExit("suite: cannot find %s (run it with bazel run -c opt //bench:suite)" % rel)


def prefork_support(reference):
    """None when the reference has --mode=prefork, else why not."""
    try:
        out = subprocess.run([reference, "--help"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "reference_server --help failed: %s" % e
    text = out.stdout + out.stderr
    if "--mode" not in text or "prefork" not in text:
        return "reference_server --help lists no --mode=prefork"
    return None


def define_servers(cfg, reference, minimal, python_echo):
    ref_common = ["--max-children=16384"]
    servers = [
        Server("minimal", "minimal C (baseline)", lambda p: [minimal, str(p)],
               "`bench/minimal_echo.c PORT`: signal(SIGCHLD) with a waitpid(WNOHANG) loop, "
               "blocking accept, backlog 128"),
        Server("ref-handler", "reference, handler reaper",
               lambda p: [reference, "--port=%d" % p, "--reaper=handler"] + ref_common,
               "`reference_server --port=PORT --reaper=handler --max-children=16384` "
               "(the cap raised for the 10,000-session burst; one stderr line per reaped child, to a file)"),
        Server("ref-signalfd", "reference, signalfd reaper",
               lambda p: [reference, "--port=%d" % p, "--reaper=signalfd"] + ref_common,
               "`reference_server --port=PORT --reaper=signalfd --max-children=16384`"),
    ]
    why_not = prefork_support(reference)
    # Its default pool, as every server here runs with its own defaults.
    prefork = Server("ref-prefork", "reference, prefork",
                     lambda p: [reference, "--port=%d" % p, "--mode=prefork"],
                     "`reference_server --port=PORT --mode=prefork`: its default pool of 4 workers, each "
                     "serving one session at a time (at 16 clients, 12 wait in the accept queue); no child "
                     "per session, so only in connections/s and throughput", kind="prefork")
    prefork.unavailable = why_not
    servers.append(prefork)
    tcpserver = shutil.which("tcpserver")
    s = Server("tcpserver", "tcpserver (ucspi-tcp)",
               lambda p: [tcpserver, "-H", "-R", "-l", "0", "-b", "128", "127.0.0.1", str(p), "cat"],
               "`tcpserver -H -R -l 0 -b 128 127.0.0.1 PORT cat`: a child per session that execs "
               "cat; default -c 40 children; no DNS or ident lookups; backlog 128 instead of 20")
    s.unavailable = None if tcpserver else "tcpserver not installed (apt-get install ucspi-tcp)"
    servers.append(s)
    socat = shutil.which("socat")
    s = Server("socat", "socat fork",
               lambda p: [socat, "TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork,backlog=128" % p, "PIPE"],
               "`socat TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork,backlog=128 PIPE`: the "
               "forked child echoes through a pipe (socat's own echo, no exec); backlog 128 instead of 5")
    s.unavailable = None if socat else "socat not installed (apt-get install socat)"
    servers.append(s)
    py = "/usr/bin/python3"
    s = Server("python", "Python ForkingTCPServer",
               lambda p: [py, python_echo, "--port=%d" % p],
               "`/usr/bin/python3 bench/forking_echo.py`: socketserver.ForkingTCPServer with a "
               "StreamRequestHandler echo, library defaults (max_children 40, reaping in "
               "serve_forever, no SIGCHLD handler) except backlog 128 instead of 5")
    s.unavailable = None if os.access(py, os.X_OK) else "/usr/bin/python3 not found"
    servers.append(s)
    return servers


# ------------------------------------------------------------------ measuring


class Failed(Exception):
    pass


def parse_kv(line):
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", line)}


def run_hammer(hammer, args, timeout):
    # A process group of its own, like the servers: killed with them on a
    # signal. Never a session of its own: with the kernel's autogroup
    # scheduling each session shares the CPU as one, and a server in its own
    # session would get half the cores whatever its process count.
    proc = subprocess.Popen([hammer] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, process_group=0)
    STARTED.append(proc)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise Failed("hammer timed out after %.0f s" % timeout)
    if proc in STARTED:
        STARTED.remove(proc)
    lines = [l for l in stdout.splitlines() if "=" in l]
    if not lines or proc.returncode not in (0, 1):
        raise Failed("hammer exit %d: %s" % (proc.returncode, (stderr or stdout).strip()[:200]))
    kv = parse_kv(lines[-1])
    if proc.returncode == 1 or int(kv.get("mismatches", "0")) > 0:
        raise Failed("echo mismatch (%s mismatched sessions)" % kv.get("mismatches", "?"))
    return kv


class Figure:
    """One measured quantity: per server its round values, and per peer the
    baseline rounds it was interleaved with."""

    def __init__(self, key, title, unit, better, fmt):
        self.key = key
        self.title = title
        self.unit = unit
        self.better = better  # "higher" | "lower"
        self.fmt = fmt
        self.values = {}  # server key -> [values]
        self.pairs = {}  # peer key -> [(baseline value, peer value)], one per round
        self.failed = {}  # server key -> reason

    def median(self, key):
        v = self.values.get(key)
        return statistics.median(v) if v else None

    def ratio(self, peer):
        """Median of the per-round ratios: a busy moment hits one pair, not one side."""
        ratios = [p / a for a, p in self.pairs.get(peer, []) if a > 0]
        return statistics.median(ratios) if ratios else None


class Suite:
    def __init__(self, cfg, tmp, hammer, servers, log):
        self.cfg = cfg
        self.tmp = tmp
        self.hammer = hammer
        self.servers = {s.key: s for s in servers}
        self.order = [s.key for s in servers]
        self.log = log
        self.figures = {}

    def server(self, key):
        return self.servers[key]

    def available(self, keys):
        return [k for k in keys if self.servers[k].unavailable is None]

    def ensure_started(self, key):
        s = self.servers[key]
        if s.unavailable:
            return False
        if s.alive():
            return True
        if s.proc is not None:  # died since the last round
            self.log("  %s died (exit %s): %s; restarting" % (s.label, s.proc.poll(), tail(s.err_path)))
            s.stop()
        try:
            s.start(self.tmp)
        except Unavailable as e:
            s.unavailable = "did not start: %s" % e
            self.log("  %s: %s" % (s.label, s.unavailable))
            return False
        return True

    def figure(self, key, title, unit, better, fmt):
        f = Figure(key, title, unit, better, fmt)
        self.figures[key] = f
        return f

    def interleave(self, figures, peers, measure, rounds=None):
        """A B A B: for each round, for each peer, the baseline then the peer.
        measure(server) returns {figure key: value}."""
        base = "minimal"
        rounds = rounds or self.cfg.rounds
        for r in range(rounds):
            for peer in peers:
                if not self.ensure_started(base) or not self.ensure_started(peer):
                    continue
                a = self._one(figures, base, measure)
                b = self._one(figures, peer, measure)
                if a is None or b is None:
                    continue
                for f in figures:
                    if f.key in a and f.key in b:
                        f.values.setdefault(base, []).append(a[f.key])
                        f.values.setdefault(peer, []).append(b[f.key])
                        f.pairs.setdefault(peer, []).append((a[f.key], b[f.key]))
            self.log("  round %d/%d done" % (r + 1, rounds))
        for key in [base] + peers:
            s = self.servers[key]
            if s.unavailable:
                for f in figures:
                    f.failed.setdefault(key, "not available: %s" % s.unavailable)

    def _one(self, figures, key, measure):
        s = self.servers[key]
        s.settle(self.cfg.settle_deadline)
        try:
            got = measure(s)
        except Failed as e:
            for f in figures:
                f.failed[key] = str(e)
            self.log("  %s: %s" % (s.label, e))
            return None
        self.log("  %-28s %s%s" % (s.label, "  ".join(
            "%s %s" % (f.key, f.fmt(got[f.key])) for f in figures if f.key in got),
            ("  (%s)" % got["_note"]) if "_note" in got else ""))
        return got

    def stop_all(self):
        for s in self.servers.values():
            s.stop()

    # -- sections

    def rates(self):
        peers = [k for k in self.order if k != "minimal"]
        figs = []
        for c in self.cfg.concurrencies:
            figs.append(self.figure("rate%d" % c, "connections/s, %d client%s" % (c, "" if c == 1 else "s"),
                                    "/s", "higher", lambda v: "{:,.0f}/s".format(v)))
        thr = self.figure("mib", "1 MiB echo, MiB/s", "MiB/s", "higher", lambda v: "{:,.0f} MiB/s".format(v))
        for c, f in zip(self.cfg.concurrencies, figs):
            self.log("connections/s, %d concurrent clients (connect, 16-byte echo, close), %.1f s a round"
                     % (c, self.cfg.rate_seconds))
            self.interleave([f], peers, lambda s, c=c, f=f: self.rate_once(s, c, f.key))
        self.log("throughput: 1 MiB echoed per session, one client, %.1f s a round" % self.cfg.throughput_seconds)
        self.interleave([thr], peers, lambda s: {"mib": float(run_hammer(self.hammer, [
            "--mode=throughput", "--port=%d" % s.port, "--concurrency=1", "--bytes=1048576",
            "--seconds=%g" % self.cfg.throughput_seconds], 60 + self.cfg.throughput_seconds)["mib_per_s"])})

    def rate_once(self, s, clients, key):
        kv = run_hammer(self.hammer, [
            "--mode=rate", "--port=%d" % s.port, "--concurrency=%d" % clients, "--payload=16",
            "--seconds=%g" % self.cfg.rate_seconds], 60 + self.cfg.rate_seconds)
        got = {key: float(kv["conn_per_s"])}
        note = "slowest session %s ms" % kv.get("max_session_ms", "?")
        if int(kv.get("errors", "0")):
            note += ", %s failed sessions" % kv["errors"]
        got["_note"] = note
        return got

    def fork_peers(self):
        return [k for k in self.order if k != "minimal" and self.servers[k].kind == "fork"]

    def reap_latency(self):
        p50 = self.figure("reap50", "reap latency p50, 4 clients", "ms", "lower", fmt_reap)
        p99 = self.figure("reap99", "reap latency p99, 4 clients", "ms", "lower", fmt_reap)
        mean = self.figure("reapmean", "reap latency mean, 4 clients", "ms", "lower", fmt_reap)
        self.reap_detail = {}
        self.log("reap latency: zombie lifetimes through /proc every %g ms under %d clients, %.1f s a round"
                 % (self.cfg.sample_ms, self.cfg.reap_clients, self.cfg.reap_seconds))

        def measure(s):
            kv = run_hammer(self.hammer, [
                "--mode=rate", "--port=%d" % s.port, "--concurrency=%d" % self.cfg.reap_clients,
                "--payload=16", "--seconds=%g" % self.cfg.reap_seconds, "--server-pid=%d" % s.proc.pid,
                "--reap-latency", "--sample-ms=%g" % self.cfg.sample_ms, "--deadline=5"],
                60 + self.cfg.reap_seconds)
            d = self.reap_detail.setdefault(s.key, {"zombies_seen": 0, "population": 0, "unreaped": 0,
                                                    "interval": []})
            d["zombies_seen"] += int(kv["zombies_seen"])
            d["population"] += int(kv["population"])
            d["unreaped"] += int(kv["unreaped"])
            d["interval"].append(float(kv["sample_interval_ms"]))
            return {"reap50": float(kv["reap_p50_ms"]), "reap99": float(kv["reap_p99_ms"]),
                    "reapmean": float(kv["reap_mean_ms"]),
                    "_note": "%s of %s children seen as zombies" % (kv["zombies_seen"], kv["population"])}

        self.interleave([p50, p99, mean], self.fork_peers(), measure)

    def memory(self):
        uss = self.figure("uss", "memory per child, USS", "KiB", "lower", fmt_kib)
        pss = self.figure("pss", "memory per child, PSS", "KiB", "lower", fmt_kib)
        self.log("memory: %d idle sessions held, smaps_rollup of each child (and its descendants)"
                 % self.cfg.memory_sessions)

        def measure(s):
            kv = run_hammer(self.hammer, [
                "--mode=memory", "--port=%d" % s.port, "--sessions=%d" % self.cfg.memory_sessions,
                "--server-pid=%d" % s.proc.pid, "--deadline=20"], 60)
            if int(kv["children"]) < self.cfg.memory_sessions:
                raise Failed("only %s children for %d sessions" % (kv["children"], self.cfg.memory_sessions))
            return {"uss": float(kv["uss_kib"]), "pss": float(kv["pss_kib"])}

        self.interleave([uss, pss], self.fork_peers(), measure, rounds=self.cfg.memory_rounds)

    def burst(self):
        n = self.cfg.burst_sessions
        t = self.figure("burst_ms", "burst of {:,}: all reaped after".format(n), "ms", "lower", fmt_ms)
        z = self.figure("burst_zombies", "burst of {:,}: zombies at peak".format(n), "", "lower",
                        lambda v: "{:,.0f}".format(v))
        self.burst_detail = {}
        self.log("burst: {:,} sessions opened, then closed at once; until every child is reaped".format(n))

        def measure(s):
            before = s.status_lines()
            kv = run_hammer(self.hammer, [
                "--mode=burst", "--port=%d" % s.port, "--sessions=%d" % n, "--server-pid=%d" % s.proc.pid,
                "--deadline=%d" % self.cfg.burst_deadline, "--sample-ms=1"], 3 * self.cfg.burst_deadline + 30)
            if int(kv["opened"]) < n:
                raise Failed("opened only %s of %d sessions (%s failures)" % (kv["opened"], n, kv["open_failures"]))
            s.settle(self.cfg.settle_deadline)
            d = self.burst_detail.setdefault(s.key, {"lost": 0, "rounds": 0, "status": [], "open_s": [],
                                                    "close_ms": []})
            d["lost"] += int(kv["lost"])
            d["rounds"] += 1
            d["open_s"].append(float(kv["open_s"]))
            d["close_ms"].append(float(kv["close_ms"]))
            if s.key.startswith("ref-"):
                time.sleep(0.2)  # the last status lines
                d["status"].append(s.status_lines() - before)
            reap = float(kv["reap_all_ms"])
            if reap < 0:
                raise Failed("%s children still unreaped %d s after the burst" % (kv["lost"], self.cfg.burst_deadline))
            return {"burst_ms": reap, "burst_zombies": float(kv["zombies_peak"])}

        self.interleave([t, z], self.available(["ref-handler", "ref-signalfd"]), measure,
                        rounds=self.cfg.burst_rounds)


def fmt_ms(v):
    if v is None:
        return "n/a"
    if v == 0:
        return "0"
    return "%.1f ms" % v if v < 100 else "{:,.0f} ms".format(v)


def fmt_reap(v):
    if v is None:
        return "n/a"
    if v == 0:
        return "< 1 sample"
    if v < 1:
        return "%.2f ms" % v
    return fmt_ms(v)


def fmt_kib(v):
    return "{:,.0f} KiB".format(v)


# ------------------------------------------------------------------ the kit


def time_kit(cfg, forkcheck, tmp, log):
    """Wall time of forkcheck against the default reference server."""
    try:
        help_text = subprocess.run([forkcheck, "--help"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        return [{"label": "forkcheck", "error": str(e)}]
    variants = [("default", [])]
    if "--jobs" in help_text:
        variants = [("--jobs=1", ["--jobs=1"]), ("default --jobs (cores)", [])]
    runs = []
    for name, extra in variants:
        argv = [forkcheck] + cfg.kit_args + extra
        log("kit: %s" % " ".join(["forkcheck"] + argv[1:]))
        out_path = os.path.join(tmp, "kit-%d.log" % len(runs))
        with open(out_path, "wb") as out:
            start = time.monotonic()
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    cwd=tmp, process_group=0)
            STARTED.append(proc)
            timed_out = False
            try:
                proc.wait(timeout=cfg.kit_timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
            wall = time.monotonic() - start
            rc = proc.poll()
            kill_group(proc, grace=5)
        summary, server, failures, in_failure = "", "", [], False
        with open(out_path, errors="replace") as f:
            for line in f:
                if re.match(r"(FAIL|BLOCK)\s", line):
                    failures.append(line.strip())
                    in_failure = True
                elif in_failure and line.startswith(" ") and "evidence:" in line:
                    failures.append(line.strip())
                elif not line.startswith(" "):
                    in_failure = False
                if line.startswith("summary:"):
                    summary = line.strip()
                if not server and line.startswith("forkcheck: ") and "reference_server" in line:
                    server = "reference_server " + line.split("reference_server", 1)[1].strip()
        runs.append({"label": name, "args": " ".join(cfg.kit_args + extra), "wall_s": wall, "rc": rc,
                     "timed_out": timed_out, "summary": summary,
                     "server": server, "failures": failures[:6]})
        log("  %.1f s, exit %s: %s" % (wall, rc, summary))
    return runs


# ------------------------------------------------------------------ machine


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def autogroup_setting():
    try:
        with open("/proc/sys/kernel/sched_autogroup_enabled") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


def machine_facts():
    facts = {"cores": os.cpu_count(), "kernel": os.uname().release, "cpu": "unknown", "mem": ""}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    facts["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            facts["mem"] = "%.1f GiB RAM" % (kb / 1048576)
    except (OSError, ValueError, IndexError):
        pass
    try:
        facts["nproc"] = subprocess.run(["nproc"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        facts["nproc"] = str(facts["cores"])
    facts["load"] = loadavg()
    ws = os.environ.get("BUILD_WORKSPACE_DIRECTORY")
    facts["commit"] = ""
    if ws:
        try:
            rev = subprocess.run(["git", "-C", ws, "rev-parse", "--short", "HEAD"], capture_output=True,
                                 text=True, timeout=10).stdout.strip()
            dirty = subprocess.run(["git", "-C", ws, "status", "--porcelain", "--untracked-files=no"],
                                   capture_output=True, text=True, timeout=10).stdout.strip()
            facts["commit"] = rev + (" with local changes" if dirty else "")
        except (OSError, subprocess.TimeoutExpired):
            pass
    return facts


# ------------------------------------------------------------------ report


def cell(fig, key, base_key="minimal"):
    if key in fig.failed and fig.median(key) is None:
        return fig.failed[key] if fig.failed[key].startswith("not available") else "failed: " + fig.failed[key]
    v = fig.median(key)
    if v is None:
        return "n/a"
    if key == base_key:
        return fig.fmt(v)
    r = fig.ratio(key)
    return "%s (%s)" % (fmt_ratio(r), fig.fmt(v))


def rounds_summary(cfg):
    def n(x):
        return "%d round%s" % (x, "" if x == 1 else "s")
    if cfg.rounds == cfg.burst_rounds == cfg.memory_rounds:
        return n(cfg.rounds) + " per server and figure"
    return "%s per server for connections/s, throughput and reap latency, %s for memory and the burst" % (
        n(cfg.rounds), n(cfg.burst_rounds))


def rounds_text(fig, key):
    v = fig.values.get(key) or []
    if len(v) < 2:
        return ""
    return "; rounds " + " / ".join(fig.fmt(x) for x in v)


def fmt_ratio(r):
    if r is None:
        return "n/a"
    if r == 0:
        return "0×"
    return "%.2f×" % r if r < 10 else "%.0f×" % r


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    return "\n".join(out)


def short_unavailable(text):
    return text if len(text) < 90 else text[:87] + "..."


def build_report(suite, cfg, facts, kit_runs, wall_s, started_at):
    S = suite.servers
    F = suite.figures
    lines = []
    add = lines.append
    add("# Benchmark results")
    add("")
    add("Generated by `bazel run -c opt //bench:suite%s` on %s; rerun it rather than editing this file."
        % (" -- --quick" if cfg.quick else "", started_at.strftime("%Y-%m-%d %H:%M UTC")))
    if cfg.quick:
        add("")
        add("**Quick mode** (smoke test): one round, tiny durations; the figures mean nothing.")
    add("")
    add("Machine: %s cores (nproc %s), %s, Linux %s%s%s." % (
        facts["cores"], facts["nproc"], facts["cpu"], facts["kernel"],
        ", " + facts["mem"] if facts["mem"] else "",
        "; commit " + facts["commit"] if facts["commit"] else ""))
    add("Load average (1, 5, 15 min) at the start %s, at the end %s: the machine is not reserved "
        "for the suite, and the interleaving is what keeps a busy moment from favouring one side."
        % (facts["load"], facts.get("load_end", "?")))
    add("Suite wall time: %s. Every figure is a ratio to the minimal C fork-per-connection echo "
        "server measured in the same run: for each figure, rounds of the baseline (A) and one peer (B) "
        "alternate, A B A B (%s); a ratio is the median over the rounds of peer / the baseline round "
        "just before it, so a busy moment spoils one pair rather than one side. Absolute values in "
        "parentheses are the medians of the rounds."
        % (fmt_duration(wall_s), rounds_summary(cfg)))
    add("")
    add("![ratios to the minimal C server](results.svg)")
    add("")

    add("## Connections/s and throughput")
    add("")
    add("Short sessions: each client loops connect, 16-byte echo, close for %.1f s. 1 MiB echo: one "
        "client, each session echoes 1 MiB (written and read at once), throughput of echoed bytes. "
        "The client acknowledges as Linux does by default (delayed ACKs), so a server that echoes "
        "in writes below the MSS without TCP_NODELAY (the minimal server and the reference write "
        "what one 16 KiB read returned) can wait for an ACK at the end of a session; cat's 128 KiB "
        "writes under tcpserver rarely do. Higher is better." % cfg.rate_seconds)
    add("")
    keys = [k for k in suite.order]
    header = ["server"] + ["%d client%s, conn/s" % (c, "" if c == 1 else "s") for c in cfg.concurrencies] + \
             ["1 MiB echo, MiB/s"]
    rows = []
    for k in keys:
        if S[k].unavailable and all(F[f].median(k) is None for f in F if f.startswith("rate") or f == "mib"):
            rows.append([S[k].label, "not available: " + short_unavailable(S[k].unavailable)] +
                        [""] * len(cfg.concurrencies))
            continue
        rows.append([S[k].label] + [cell(F["rate%d" % c], k) for c in cfg.concurrencies] + [cell(F["mib"], k)])
    add(md_table(header, rows))
    add("")

    n = cfg.burst_sessions
    add("## Burst of {:,} sessions ending together".format(n))
    add("")
    add("{:,} sessions are opened (each echoes a byte, so its child is serving), then all closed in "
        "one loop; the time runs from the first close() until a /proc sample (every 1 ms, plus the "
        "time to read every child's state) finds none of those children left. Children lost (still "
        "there %d s later) must be 0; the reference server's stderr status lines are counted too. "
        "Lower is better.".format(n) % cfg.burst_deadline)
    add("")
    rows = []
    for k in ["minimal"] + suite.available(["ref-handler", "ref-signalfd"]) + \
            [k for k in ["ref-handler", "ref-signalfd"] if S[k].unavailable]:
        d = getattr(suite, "burst_detail", {}).get(k, {})
        lost = "%d" % d["lost"] if d else "n/a"
        status = "n/a"
        if d.get("status"):
            status = " / ".join("{:,}".format(x) for x in d["status"])
        elif k == "minimal":
            status = "(prints none)"
        closing = "{:,.0f} ms".format(statistics.median(d["close_ms"])) if d.get("close_ms") else "n/a"
        rows.append([S[k].label, cell(F["burst_ms"], k) + rounds_text(F["burst_ms"], k),
                     cell(F["burst_zombies"], k) + rounds_text(F["burst_zombies"], k), lost, status, closing])
    add(md_table(["server", "all reaped after", "zombies at peak", "children lost",
                  "status lines per round", "the close() loop took"], rows))
    add("")

    add("## Reap latency under %d clients" % cfg.reap_clients)
    add("")
    add("Zombie lifetime (first seen in state Z -> gone) of each session's child while %d clients loop "
        "short sessions for %.1f s; a thread samples the server's children through /proc every %g ms "
        "(%s ms apart in practice). A child reaped before any sample saw it a zombie counts as 0, "
        "shown as \"< 1 sample\": percentiles cannot resolve less. The mean can: a zombie living "
        "L < one interval T is caught with probability L/T and then measured as T, so the mean over "
        "every session's child estimates the true mean lifetime. Lower is better; a ratio is n/a when "
        "the baseline's value is below one sample."
        % (cfg.reap_clients, cfg.reap_seconds, cfg.sample_ms, interval_text(suite)))
    add("")
    rows = []
    for k in ["minimal"] + [k for k in suite.order if k != "minimal" and S[k].kind == "fork"]:
        d = getattr(suite, "reap_detail", {}).get(k)
        seen = "n/a"
        if d:
            seen = "{:,} of {:,}".format(d["zombies_seen"], d["population"])
            if d["unreaped"]:
                seen += ", %d unreaped" % d["unreaped"]
        rows.append([S[k].label, cell(F["reap50"], k), cell(F["reap99"], k), cell(F["reapmean"], k), seen])
    add(md_table(["server", "p50", "p99", "mean", "zombies seen by a sample"], rows))
    add("")

    add("## Memory per child")
    add("")
    add("%d idle sessions held; for each child of the server (with its descendants, e.g. the cat "
        "that tcpserver's child becomes), /proc/PID/smaps_rollup: USS = Private_Clean + "
        "Private_Dirty, PSS = Pss; the median child. Lower is better." % cfg.memory_sessions)
    add("")
    rows = []
    for k in ["minimal"] + [k for k in suite.order if k != "minimal" and S[k].kind == "fork"]:
        rows.append([S[k].label, cell(F["uss"], k), cell(F["pss"], k)])
    add(md_table(["server", "USS", "PSS"], rows))
    add("")

    add("## The kit itself")
    add("")
    servers = sorted({run.get("server") for run in kit_runs if run.get("server")})
    add("`forkcheck%s` with no server given, so against its default reference server (%s), once per "
        "row; wall time.%s" % ((" " + " ".join(cfg.kit_args)) if cfg.kit_args else "",
                               "; ".join("`%s`" % x for x in servers) or "?",
                               " `--jobs` defaults to the number of cores." if len(kit_runs) > 1 else ""))
    add("")
    rows = []
    for run in kit_runs:
        if "error" in run:
            rows.append([run["label"], "failed: " + run["error"], "", ""])
            continue
        rows.append(["forkcheck " + (run["args"] or "(defaults)"),
                     fmt_duration(run["wall_s"]) + (" (timed out)" if run["timed_out"] else ""),
                     str(run["rc"]), run["summary"].replace("summary: ", "") or "(no summary line)"])
    add(md_table(["run", "wall time", "exit", "summary"], rows))
    add("")
    for run in kit_runs:
        if run.get("failures"):
            add("Not conforming in `forkcheck %s` (the kit's own output):" % (run["args"] or "(defaults)"))
            add("")
            add("```")
            lines.extend(x[:300] for x in run["failures"])
            add("```")
            add("")

    add("## Servers and how they were run")
    add("")
    for k in suite.order:
        s = S[k]
        add("- **%s**: %s%s" % (s.label, s.how, (". Not available: " + s.unavailable) if s.unavailable else ""))
    add("")
    add("The load generator is `bench/hammer.cc` (C++ threads, loopback only); the driver "
        "`bench/suite.py`. Servers inherit the hard RLIMIT_NOFILE as their soft limit. Servers, "
        "load generator and driver share one session, each in a process group of its own: with "
        "the kernel's autogroup scheduling (kernel.sched_autogroup_enabled = %s here) a server in a "
        "session of its own would get half the cores as one, whatever its process count. Nothing "
        "here is a timed test: `//bench:suite_smoke_test` only checks that the suite runs "
        "(`--quick`) and writes this table." % autogroup_setting())
    add("")
    return "\n".join(lines)


def interval_text(suite):
    vals = [v for d in getattr(suite, "reap_detail", {}).values() for v in d["interval"]]
    return "%.2f" % statistics.median(vals) if vals else "?"


def fmt_duration(s):
    if s < 60:
        return "%.1f s" % s
    return "%d min %02d s" % (int(s // 60), int(s % 60))


# ------------------------------------------------------------------ SVG

PALETTE = {
    "ref-handler": "#1f77b4", "ref-signalfd": "#17becf", "ref-prefork": "#2ca02c",
    "tcpserver": "#ff7f0e", "socat": "#9467bd", "python": "#d62728",
}


def build_svg(suite, cfg, facts, started_at):
    """A horizontal bar chart of every ratio, log scale around 1."""
    import math

    F = suite.figures
    order = [k for k in suite.order if k != "minimal"]
    groups = []
    for key in ["rate1", "rate4", "rate16", "mib", "burst_ms", "burst_zombies",
                "reap50", "reap99", "reapmean", "uss", "pss"]:
        f = F.get(key)
        if f is None:
            continue
        bars = [(k, f.ratio(k), f.median(k), f.failed.get(k)) for k in order
                if f.median(k) is not None or k in f.failed]
        if bars:
            groups.append((f, bars))
    ratios = [r for _, bars in groups for _, r, _, _ in bars if r]
    lo_e = max(-8, math.floor(math.log2(min([0.5] + ratios))))
    hi_e = min(10, math.ceil(math.log2(max([2.0] + ratios))))
    W = 1000
    left, right = 250, W - 125
    bar_h, step, head, gap = 13, 17, 22, 14
    top = 88
    def collapsed(bars):  # every value below resolution: one line instead of a bar each
        return all(r is None and v == 0 for _, r, v, _ in bars)

    height = top + sum(head + (1 if collapsed(b) else len(b)) * step + gap for _, b in groups) + 40

    def x(r):
        r = min(max(r, 2.0 ** lo_e), 2.0 ** hi_e)
        return left + (math.log2(r) - lo_e) / (hi_e - lo_e) * (right - left)

    out = []
    a = out.append
    esc = html.escape
    a('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
      'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">' % (W, height, W, height))
    a('<rect width="100%" height="100%" fill="white"/>')
    a('<text x="20" y="26" font-size="17" font-weight="bold">forkcheck benchmarks: each server as a ratio '
      'to the minimal C fork-per-connection echo server</text>')
    a('<text x="20" y="46" fill="#444">%s; %s cores, %s, Linux %s; A B interleaved, median of per-round '
      'ratios (%d rounds, %d for memory and the burst)%s</text>' % (
          started_at.strftime("%Y-%m-%d"), facts["cores"], esc(facts["cpu"]), esc(facts["kernel"]),
          cfg.rounds, cfg.burst_rounds, "; QUICK MODE, figures meaningless" if cfg.quick else ""))
    a('<text x="20" y="64" fill="#444">Bar ends: ratio (log scale, 1&#215; = the baseline). '
      'Dark labels: better than the baseline, red: worse (see each figure for which way is better).</text>')

    def ticks(y_text):
        for e in range(lo_e, hi_e + 1):
            r = 2.0 ** e
            label = ("%g" % r) if r >= 1 else "1/%g" % (1 / r)
            a('<text x="%.1f" y="%d" text-anchor="middle" fill="#666" font-size="11">%s&#215;</text>'
              % (x(r), y_text, label))

    axis_top, axis_bottom = top - 4, height - 40
    for e in range(lo_e, hi_e + 1):
        xx = x(2.0 ** e)
        a('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-width="%s"/>' % (
            xx, axis_top, xx, axis_bottom, "#333" if e == 0 else "#e2e2e2", "1.5" if e == 0 else "1"))
    ticks(axis_top - 4)
    ticks(axis_bottom + 14)
    a('<text x="%.1f" y="%d" text-anchor="middle" fill="#444">ratio to the minimal C server</text>'
      % ((left + right) / 2, axis_bottom + 30))
    y = top + 8
    for f, bars in groups:
        base = f.median("minimal")
        base_text = "baseline %s" % (f.fmt(base) if base is not None else "n/a")
        a('<rect x="14" y="%d" width="%d" height="%d" fill="#f4f6f8"/>' % (y, W - 28, head - 4))
        a('<text x="20" y="%d"><tspan font-weight="bold">%s</tspan><tspan fill="#555" font-size="11">'
          '   %s is better; %s</tspan></text>' % (y + 13, esc(f.title), f.better.capitalize(), esc(base_text)))
        y += head
        if collapsed(bars):
            a('<text x="%.1f" y="%d" fill="#888" font-size="11">every server: %s, like the baseline '
              '(no ratio)</text>' % (x(1) + 6, y + bar_h - 3, esc(f.fmt(0))))
            y += step + gap
            continue
        for k, r, v, why in bars:
            label = suite.servers[k].label
            a('<text x="%d" y="%d" text-anchor="end" fill="#333" font-size="11">%s</text>'
              % (left - 8, y + bar_h - 3, esc(label)))
            if r is None:
                if v is not None:
                    note = "n/a: %s, baseline %s" % (f.fmt(v), f.fmt(base) if base is not None else "n/a")
                else:
                    note = "n/a" + (": " + why if why else "")
                a('<text x="%.1f" y="%d" fill="#888" font-size="11">%s</text>'
                  % (x(1) + 6, y + bar_h - 3, esc(note[:80])))
            else:
                x0, x1 = sorted((x(1), x(r)))
                good = (r >= 1) == (f.better == "higher") or abs(r - 1) < 0.005
                a('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %s (%s)</title></rect>'
                  % (x0, y, max(x1 - x0, 1.5), bar_h, PALETTE.get(k, "#888"), esc(label), fmt_ratio(r),
                     esc(f.fmt(v))))
                tx, anchor = (x1 + 5, "start") if r >= 1 else (x0 - 5, "end")
                if r < 1 and x0 - left < 120:  # no room left of the bar: write it right of 1x
                    tx, anchor, r_text_right = x(1) + 5, "start", True
                else:
                    r_text_right = r >= 1
                a('<text x="%.1f" y="%d" text-anchor="%s" font-size="11" fill="%s">%s  <tspan fill="#777">'
                  '%s</tspan></text>' % (tx, y + bar_h - 3, anchor, "#222" if good else "#c00",
                                        fmt_ratio(r), esc(f.fmt(v))) if r_text_right else
                  '<text x="%.1f" y="%d" text-anchor="%s" font-size="11"><tspan fill="#777">%s</tspan>  '
                  '<tspan fill="%s">%s</tspan></text>' % (tx, y + bar_h - 3, anchor, esc(f.fmt(v)),
                                                          "#222" if good else "#c00", fmt_ratio(r)))
            y += step
        y += gap
    a("</svg>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny durations, one round (the smoke test)")
    ap.add_argument("--out", help="directory for RESULTS.md and results.svg (default: bench/ of the "
                    "workspace under bazel run; with --quick, a new temporary directory)")
    ap.add_argument("--skip-kit", action="store_true", help="do not time forkcheck")
    args = ap.parse_args()

    out_dir = args.out
    if not out_dir and args.quick:  # never over the committed results
        out_dir = tempfile.mkdtemp(prefix="forkcheck-bench-quick-")
    if not out_dir:
        ws = os.environ.get("BUILD_WORKSPACE_DIRECTORY")
        if ws:
            out_dir = os.path.join(ws, "bench")
        elif os.path.isfile(os.path.join("bench", "BUILD")):
            out_dir = "bench"
        else:
            ap.error("--out=DIR is needed outside bazel run")
    os.makedirs(out_dir, exist_ok=True)

    cfg = Config(args.quick)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    atexit.register(cleanup)
    become_subreaper()
    nofile = raise_nofile()
    if nofile < cfg.burst_sessions + 100:
        cfg.burst_sessions = max(100, nofile - 200)

    def log(msg):
        sys.stderr.write(msg + "\n")
        sys.stderr.flush()

    hammer = runfile("bench/hammer")
    minimal = runfile("bench/minimal_echo")
    reference = runfile("src/reference_server")
    python_echo = runfile("bench/forking_echo.py")
    forkcheck = runfile("conformance/forkcheck")

    started_at = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.monotonic()
    facts = machine_facts()
    log("forkcheck bench suite%s: %s cores, %s, Linux %s" % (" (quick)" if cfg.quick else "", facts["cores"],
                                                             facts["cpu"], facts["kernel"]))
    tmp = tempfile.mkdtemp(prefix="forkcheck-bench-")
    try:
        servers = define_servers(cfg, reference, minimal, python_echo)
        suite = Suite(cfg, tmp, hammer, servers, log)
        for s in servers:
            if s.unavailable:
                log("%s: not available: %s" % (s.label, s.unavailable))
        suite.rates()
        suite.reap_latency()
        suite.memory()
        suite.burst()
        suite.stop_all()
        kit_runs = [] if args.skip_kit else time_kit(cfg, forkcheck, tmp, log)
        wall = time.monotonic() - t0
        facts["load_end"] = loadavg()
        report = build_report(suite, cfg, facts, kit_runs, wall, started_at)
        svg = build_svg(suite, cfg, facts, started_at)
        with open(os.path.join(out_dir, "RESULTS.md"), "w") as f:
            f.write(report)
        with open(os.path.join(out_dir, "results.svg"), "w") as f:
            f.write(svg)
        print(report)
        log("wrote %s and %s" % (os.path.join(out_dir, "RESULTS.md"), os.path.join(out_dir, "results.svg")))
    finally:
        cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
