"""forkcheck_test: a `bazel test` that checks a forking server with forkcheck.

    load("@forkcheck//:defs.bzl", "forkcheck_test")

    forkcheck_test(
        name = "echo_conforms",
        server = ":echo_server",          # any executable target
        args = ["--port={port}"],         # {port}: a free loopback port
        profiles = ["status", "limit"],
        max_children = 40,
        expectations = "known_failures.txt",
    )

The kit's JUnit report becomes the test's test.xml ($XML_OUTPUT_FILE), its
HTML report (forkcheck.html) and trace (forkcheck.trace.json) are undeclared
outputs (bazel-testlogs/<package>/<name>/test.outputs/), work
files go under $TEST_TMPDIR, and the test log shows the same text a terminal
run prints. `bazel test --test_arg=--only=REAP-*` passes options to forkcheck.
"""

def _flag(name, value):
    return ["--%s=%s" % (name, value)] if value else []

def forkcheck_test(
        name,
        server,
        args = [],
        profiles = [],
        idle_timeout_ms = 0,
        max_children = 0,
        shutdown_grace_ms = 0,
        status_pattern = "",
        expectations = None,
        only = [],
        skip = [],
        seed = None,
        timeout_scale = None,
        size = "medium",
        **kwargs):
    forkcheck = Label("//conformance:forkcheck")
    flags = (
        _flag("profile", ",".join(profiles)) +
        _flag("idle-timeout", idle_timeout_ms) +
        _flag("max-children", max_children) +
        _flag("shutdown-grace", shutdown_grace_ms) +
        _flag("status-pattern", status_pattern) +
        _flag("only", ",".join(only)) +
        _flag("skip", ",".join(skip)) +
        _flag("seed", seed) +
        _flag("timeout-scale", timeout_scale)
    )
    data = [server, forkcheck]
    if expectations:
        data.append(expectations)
        flags.append("--expectations=$(rootpath %s)" % expectations)
    native.sh_test(
        name = name,
        size = size,
        srcs = [Label("//tools:forkcheck_test_runner.sh")],
        data = data,
        args = ["$(rootpath %s)" % forkcheck] + flags +
               ["--server", "$(rootpath %s)" % server] + args + ["--end-of-server"],
        **kwargs
    )
