#!/usr/bin/env bash
# smoke_mutants.sh - manual sanity check of mutant_server (not a Bazel test).
#
# Runs the correct base (--bug=none) through quick versions of the checks and
# shows that every bug variant is caught by the quick check for its
# requirement.  Needs python3, gcc (for a tiny fork-failure preload), Linux.
#
# Usage: scenarios/testdata/smoke_mutants.sh [path/to/mutant_server] [bug ...]
#   default binary: $(bazel info bazel-bin)/scenarios/testdata/mutant_server
#   with bug names, only those variants (and "none" if named) are checked.
set -euo pipefail

BIN=${1:-}
if [[ -z "$BIN" ]]; then
  BIN=/root/.cache/bazel_mut/execroot/forkcheck/bazel-out/k8-fastbuild/bin/scenarios/testdata/mutant_server
fi
shift || true
[[ -x "$BIN" ]] || { echo "no executable mutant_server at $BIN" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# LD_PRELOAD library: fork() fails with EAGAIN while $WORK/forkfail exists.
cat >"$WORK/forkfail.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
pid_t fork(void) {
  static pid_t (*real)(void);
  const char *flag = getenv("FORKFAIL_FLAG");
  if (flag && access(flag, F_OK) == 0) { errno = EAGAIN; return -1; }
  if (!real) real = (pid_t (*)(void))dlsym(RTLD_NEXT, "fork");
  return real();
}
EOF
gcc -shared -fPIC -o "$WORK/forkfail.so" "$WORK/forkfail.c" -ldl

export MUTANT_BIN="$BIN" SMOKE_WORK="$WORK"
python3 - "$@" <<'PYEOF'
import os, random, resource, signal, socket, subprocess, sys, time, re

BIN = os.environ["MUTANT_BIN"]
WORK = os.environ["SMOKE_WORK"]
only = sys.argv[1:]


# Become a subreaper so orphans of killed servers end up here, not at a pid 1
# that may not reap them.
import ctypes
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def reap_orphans():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def children_of(pid):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        rest = s[s.rindex(")") + 2:].split()
        if int(rest[1]) == pid:
            out.append((int(d), rest[0]))  # (pid, state)
    return out


def zombies(pid):
    return [p for p, st in children_of(pid) if st == "Z"]


def live(pid):
    return [p for p, st in children_of(pid) if st != "Z"]


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


class Server:
    def __init__(self, bug, *args, env=None):
        tag = f"{bug}-{time.monotonic_ns()}"
        self.out = open(os.path.join(WORK, f"out-{tag}"), "w+")
        self.err = open(os.path.join(WORK, f"err-{tag}"), "w+")
        e = dict(os.environ)
        if env:
            e.update(env)
        self.p = subprocess.Popen([BIN, f"--bug={bug}", "--port=0", *args],
                                  stdout=self.out, stderr=self.err,
                                  env=e, cwd=WORK, start_new_session=True)
        deadline = time.time() + 5
        while time.time() < deadline:
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", self.text())
            if m:
                self.port = int(m.group(1))
                return
            time.sleep(0.01)
        raise RuntimeError("server did not announce its port")

    @property
    def pid(self):
        return self.p.pid

    def text(self):
        self.out.flush()
        with open(self.out.name) as f:
            return f.read()

    def lines(self):  # status lines go to stderr
        with open(self.err.name) as f:
            return [l for l in f.read().splitlines() if l.startswith("child ")]

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.port), timeout=5)

    def stop(self):
        # Kill the whole session: parent, children and orphans.
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for p, _ in children_of(self.pid) + children_of(os.getpid()):
            if p == self.pid:
                continue
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.05)
        reap_orphans()


def echo(srv, data, chunks=True):
    s = srv.connect()
    got = bytearray()
    i = 0
    s.setblocking(True)
    while i < len(data):
        n = random.randint(1, 70000) if chunks else len(data)
        s.sendall(data[i:i + n])
        i += n
        s.settimeout(0.0)
        try:
            while True:
                b = s.recv(1 << 20)
                if not b:
                    break
                got += b
        except (BlockingIOError, socket.timeout):
            pass
        s.settimeout(5)
    s.shutdown(socket.SHUT_WR)
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        got += b
    s.close()
    return bytes(got)


def wait_until(cond, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


def session_child(srv, sock):
    """pid of the child serving sock (the newest live child)."""
    sock.sendall(b"x")
    sock.recv(1)
    kids = live(srv.pid)
    return max(kids) if kids else None


# Each quick check returns True when the server passes it.
def chk_echo1(srv):
    data = os.urandom(1 << 20)
    return all(echo(srv, d) == d for d in (b"a", data[:5000], data))


def chk_echo2(srv):
    s = srv.connect()
    s.sendall(b"hello")
    s.shutdown(socket.SHUT_WR)
    s.settimeout(1.0)
    got = b""
    try:
        while True:
            b = s.recv(100)
            if not b:
                return got == b"hello"
            got += b
    except socket.timeout:
        return False
    finally:
        s.close()


def chk_conc1(srv):
    idle = srv.connect()
    idle.sendall(b"x")
    time.sleep(0.1)
    s = srv.connect()
    s.settimeout(1.0)
    try:
        s.sendall(b"ping")
        return s.recv(4) == b"ping"
    except socket.timeout:
        return False
    finally:
        s.close()
        idle.close()


def chk_reap1(srv):
    echo(srv, b"bye")
    time.sleep(1.0)
    return not zombies(srv.pid)


def chk_reap2(srv):
    socks = [srv.connect() for _ in range(64)]
    for s in socks:
        s.sendall(b"x")
        s.recv(1)
    wait_until(lambda: len(live(srv.pid)) >= 64, 3)
    for s in socks:
        s.shutdown(socket.SHUT_WR)
    for s in socks:
        s.close()
    time.sleep(1.0)
    return not zombies(srv.pid) and not live(srv.pid)


def chk_reap3(srv):
    for sig in (signal.SIGKILL, signal.SIGSEGV, signal.SIGTERM):
        s = srv.connect()
        kid = session_child(srv, s)
        os.kill(kid, sig)
        time.sleep(0.3)
        s.close()
        if zombies(srv.pid) or srv.p.poll() is not None:
            return False
    return echo(srv, b"still here") == b"still here"


def chk_reap4(srv):
    s = srv.connect()
    session_child(srv, s)
    s.close()
    time.sleep(1.0)
    return not zombies(srv.pid)


def chk_reap5(srv):
    for _ in range(3):
        for _ in range(5):
            echo(srv, b"x")
        time.sleep(0.5)
        if zombies(srv.pid):
            return False
    return True


def chk_intr1(srv):
    hold = srv.connect()
    session_child(srv, hold)
    end = time.time() + 0.5
    while time.time() < end and srv.p.poll() is None:
        os.kill(srv.pid, signal.SIGCHLD)
        time.sleep(0.001)
    try:
        s = srv.connect()
        s.settimeout(1.0)
        s.sendall(b"ok")
        ok = s.recv(2) == b"ok"
        s.close()
    except OSError:
        ok = False
    hold.close()
    return ok and srv.p.poll() is None


def chk_intr3(srv):
    s = srv.connect()
    kid = session_child(srv, s)
    data = os.urandom(4 << 20)
    import threading
    stop = False

    def storm():
        while not stop:
            try:
                os.kill(kid, signal.SIGCHLD)
            except ProcessLookupError:
                return
            time.sleep(0.0002)
    t = threading.Thread(target=storm)
    t.start()
    got = bytearray(b"x")

    def reader():
        while True:
            try:
                b = s.recv(1 << 16)
            except OSError:
                return
            if not b:
                return
            got.extend(b)
    r = threading.Thread(target=reader)
    r.start()
    try:
        for i in range(0, len(data), 1024):
            s.sendall(data[i:i + 1024])
            time.sleep(0.0001)
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    r.join(10)
    stop = True
    t.join()
    s.close()
    return bytes(got) == b"x" + data


def socket_inodes(pid):
    res = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            t = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if t.startswith("socket:"):
            res.add(t)
    return res


def chk_fd1(srv):
    listener = socket_inodes(srv.pid)
    s = srv.connect()
    kid = session_child(srv, s)
    ok = not (socket_inodes(kid) & listener)
    s.close()
    return ok


def chk_fd2(srv):
    base = len(os.listdir(f"/proc/{srv.pid}/fd"))
    for _ in range(10):
        echo(srv, b"x")
    time.sleep(0.3)
    return len(os.listdir(f"/proc/{srv.pid}/fd")) <= base


def chk_fork1(srv):
    flag = os.path.join(WORK, "forkfail-flag")
    open(flag, "w").close()
    try:
        s = srv.connect()
        s.settimeout(1.0)
        try:
            ended = s.recv(10) == b""
        except ConnectionResetError:
            ended = True
        except socket.timeout:
            ended = False
        s.close()
    finally:
        os.unlink(flag)
    time.sleep(0.1)
    return ended and srv.p.poll() is None and echo(srv, b"again") == b"again"


def chk_limit1(srv):  # started with --max-children=2
    socks = []
    for _ in range(4):
        s = srv.connect()
        s.sendall(b"x")
        socks.append(s)
    time.sleep(0.5)
    peak = len(live(srv.pid))
    socks[0].close()
    socks[2].settimeout(1.0)
    try:
        late_ok = socks[2].recv(1) == b"x"
    except socket.timeout:
        late_ok = False
    for s in socks:
        s.close()
    return peak <= 2 and late_ok


def chk_shut(sig):
    def chk(srv):
        s = srv.connect()
        kid = session_child(srv, s)
        os.kill(srv.pid, sig)
        exited = wait_until(lambda: srv.p.poll() is not None, 3)
        time.sleep(0.1)
        left = children_of(srv.pid) or alive(kid)
        s.close()
        return exited and srv.p.returncode == 0 and not left
    return chk


def chk_stat1(srv):
    s = srv.connect()
    kid = session_child(srv, s)
    s.close()
    time.sleep(0.5)
    return [l for l in srv.lines() if l.split()[1] == str(kid)] == \
        [f"child {kid} exited with status 0"]


def hook_child(srv, cmd):
    s = srv.connect()
    kid = session_child(srv, s)
    s.sendall(cmd)
    time.sleep(0.5)
    s.close()
    time.sleep(0.1)
    return kid, [l for l in srv.lines() if l.split()[1] == str(kid)]


def chk_stat2(srv):
    for code in (0, 1, 7, 255):
        kid, lines = hook_child(srv, b"!exit %d" % code)
        if lines != [f"child {kid} exited with status {code}"]:
            return False
    return True


def chk_stat3(srv):
    for sig in (9, 15):
        kid, lines = hook_child(srv, b"!raise %d" % sig)
        if lines != [f"child {kid} killed by signal {sig}"]:
            return False
    return True


def chk_stat4(srv):
    kid, lines = hook_child(srv, b"!raise 11")
    return lines == [f"child {kid} killed by signal 11 (core dumped)"]


def chk_alrm1(srv):  # --idle-timeout=300
    s = srv.connect()
    kid = session_child(srv, s)
    s.settimeout(0.3 + 0.25 + 0.1)
    try:
        ended = s.recv(10) == b""
    except socket.timeout:
        ended = False
    s.close()
    time.sleep(0.2)
    return ended and f"child {kid} exited with status 4" in srv.lines()


def chk_alrm2(srv):  # --idle-timeout=300
    for delay in (0.25, 0.29, 0.30, 0.31, 0.35):
        s = srv.connect()
        time.sleep(delay)
        try:
            s.sendall(b"late data")
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        s.settimeout(2)
        got = b""
        try:
            while True:
                b = s.recv(100)
                if not b:
                    break
                got += b
        except ConnectionResetError:
            pass
        except socket.timeout:
            return False
        s.close()
        if not b"late data".startswith(got):
            return False
    return True


def chk_alrm3(srv):  # --idle-timeout=300
    s = srv.connect()
    s.settimeout(1)
    try:
        for _ in range(6):          # 6 x 180 ms = 1080 ms > 1.5 T
            time.sleep(0.18)
            s.sendall(b"k")
            if s.recv(1) != b"k":
                return False
        return True
    except OSError:
        return False
    finally:
        s.close()


def chk_emfile1(srv):
    """RLIMIT_NOFILE lowered to the lowest free fd: accept() fails for real."""
    fds = {int(f) for f in os.listdir(f"/proc/{srv.pid}/fd")}
    low = 0
    while low in fds:
        low += 1
    hard = resource.prlimit(srv.pid, resource.RLIMIT_NOFILE)
    resource.prlimit(srv.pid, resource.RLIMIT_NOFILE, (low, hard[1]))
    c = srv.connect()
    c.sendall(b"q")

    def cpu():
        with open(f"/proc/{srv.pid}/stat") as f:
            st = f.read().rsplit(")", 1)[1].split()
        return (int(st[11]) + int(st[12])) / os.sysconf("SC_CLK_TCK")
    t0 = cpu()
    time.sleep(2)
    share = (cpu() - t0) / 2
    resource.prlimit(srv.pid, resource.RLIMIT_NOFILE, hard)
    c.settimeout(3)
    try:
        ok = c.recv(1) == b"q"
    except OSError:
        ok = False
    c.close()
    return share < 0.2 and ok


def chk_core_reaping(srv):  # 100 short connections, no zombie afterwards
    for _ in range(100):
        echo(srv, b"z")
    time.sleep(0.5)
    return not zombies(srv.pid)


CORE = [("ECHO-1", chk_echo1), ("ECHO-2", chk_echo2), ("CONC-1", chk_conc1),
        ("REAP-1", chk_reap1), ("REAP-2", chk_reap2), ("REAP-3", chk_reap3),
        ("REAP-4", chk_reap4), ("REAP-5", chk_reap5), ("INTR-1", chk_intr1),
        ("INTR-3", chk_intr3), ("FD-1", chk_fd1), ("FD-2", chk_fd2), ("EMFILE-1", chk_emfile1),
        ("100-conn", chk_core_reaping)]
FORK = [("FORK-1", chk_fork1)]
LIMIT = [("LIMIT-1", chk_limit1)]
SHUT = [("SHUT-1", chk_shut(signal.SIGTERM)), ("SHUT-2", chk_shut(signal.SIGINT))]
STAT = [("STAT-1", chk_stat1), ("STAT-2", chk_stat2), ("STAT-3", chk_stat3),
        ("STAT-4", chk_stat4)]
ALRM = [("ALRM-1", chk_alrm1), ("ALRM-2", chk_alrm2), ("ALRM-3", chk_alrm3)]

PRELOAD = {"LD_PRELOAD": os.path.join(WORK, "forkfail.so"),
           "FORKFAIL_FLAG": os.path.join(WORK, "forkfail-flag")}


def run(bug, checks, args=(), env=None):
    results = {}
    for name, fn in checks:
        srv = Server(bug, *args, env=env)
        try:
            results[name] = bool(fn(srv))
        except Exception as e:  # a crash of the check counts as a failure
            results[name] = False
        finally:
            srv.stop()
    return results


def profile_runs(bug):
    r = {}
    r.update(run(bug, CORE))
    r.update(run(bug, FORK, env=PRELOAD))
    r.update(run(bug, LIMIT, ["--max-children=2"]))
    r.update(run(bug, SHUT))
    r.update(run(bug, STAT, ["--test-hooks"]))
    r.update(run(bug, ALRM, ["--idle-timeout=300"]))
    return r


EXPECT = {  # bug -> the requirement(s) whose quick check must fail
    "corrupt": ["ECHO-1"], "no-eof-close": ["ECHO-2"], "iterative": ["CONC-1"],
    "slow-reap": ["REAP-1"], "reap-once": ["REAP-2"],
    "die-on-signaled-child": ["REAP-3"], "reap-on-accept": ["REAP-4"],
    "oneshot-handler": ["REAP-5"], "eintr-fatal": ["INTR-1"],
    "blocking-wait-handler": ["INTR-1"], "child-eintr-fatal": ["INTR-3"],
    "keep-listener": ["FD-1"], "leak-conn-fd": ["FD-2"],
    "exit-on-fork-fail": ["FORK-1"], "emfile-spin": ["EMFILE-1"], "ignore-max-children": ["LIMIT-1"],
    "ignore-sigterm": ["SHUT-1"], "orphan-children-on-sigint": ["SHUT-2"],
    "double-report": ["STAT-1"], "raw-status": ["STAT-2"],
    "signal-as-exit": ["STAT-3"], "no-core-flag": ["STAT-4"],
    "no-idle-timeout": ["ALRM-1"], "timeout-goodbye": ["ALRM-2"],
    "no-rearm": ["ALRM-3"],
}

import resource
resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))

bad = 0
if not only or "none" in only:
    r = profile_runs("none")
    fails = [k for k, v in r.items() if not v]
    print(f"{'none':28s} {'all pass' if not fails else 'FAILED ' + ' '.join(fails)}")
    bad += bool(fails)
if not only or "ignore-sigchld-correct" in only:
    r = run("ignore-sigchld-correct", CORE)
    srv = Server("ignore-sigchld-correct")
    for _ in range(5):
        echo(srv, b"q")
    time.sleep(0.2)
    quiet = not srv.lines()
    srv.stop()
    fails = [k for k, v in r.items() if not v] + ([] if quiet else ["status-lines"])
    print(f"{'ignore-sigchld-correct':28s} {'core passes, no status lines' if not fails else 'FAILED ' + ' '.join(fails)}")
    bad += bool(fails)

checks_by_id = dict(CORE + SHUT + STAT + ALRM + FORK + LIMIT)
for bug, ids in EXPECT.items():
    if only and bug not in only:
        continue
    out = []
    for rid in ids:
        args = {"LIMIT-1": ["--max-children=2"]}.get(rid, [])
        if rid.startswith("STAT"):
            args = ["--test-hooks"]
        if rid.startswith("ALRM"):
            args = ["--idle-timeout=300"]
        env = PRELOAD if rid == "FORK-1" else None
        ok = run(bug, [(rid, checks_by_id[rid])], args, env)[rid]
        out.append(f"{rid}:{'pass(!)' if ok else 'FAIL'}")
        bad += ok
    print(f"{bug:28s} {' '.join(out)}")

rc = subprocess.run([BIN, "--bug=nonsense"], capture_output=True)
print(f"{'unknown --bug':28s} exit {rc.returncode}: {rc.stderr.decode().strip()}")
bad += rc.returncode != 2
print("SMOKE OK" if not bad else f"SMOKE: {bad} unexpected result(s)")
sys.exit(1 if bad else 0)
PYEOF
