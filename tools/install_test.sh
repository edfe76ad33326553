#!/usr/bin/env bash
# The install recipe end to end: install into a temporary prefix, then use
# the installed binary as a user outside any Bazel tree would (no runfiles
# variables): --version, the man page, a check with fault injection (the
# preload library found next to the binary) against a server copied
# elsewhere, and the bundled reference server found the same way.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
prefix="$TEST_TMPDIR/prefix"
"$TEST_SRCDIR/forkcheck/tools/install.sh" --prefix="$prefix"
for file in bin/forkcheck lib/forkcheck/libforkcheck_inject.so lib/forkcheck/reference_server \
            share/man/man1/forkcheck.1 share/locale/ko/LC_MESSAGES/forkcheck.mo; do
  [ -f "$prefix/$file" ] || fail "$file was not installed"
done

outside="$TEST_TMPDIR/outside"
mkdir -p "$outside"
cp "$prefix/lib/forkcheck/reference_server" "$outside/my_server"
cd "$outside"
installed() { env -u TEST_SRCDIR -u RUNFILES_DIR -u RUNFILES_MANIFEST_FILE "$prefix/bin/forkcheck" "$@"; }

version=$(installed --version)
[ "$version" = "forkcheck 0.5.0" ] || fail "--version printed '$version'"

man -P cat -l "$prefix/share/man/man1/forkcheck.1" 2>/dev/null | grep "forkcheck - conformance and fault-injection" >/dev/null \
  || fail "man -l does not render the page"

out=$(installed --only=ECHO-1,INTR-2 --verbose -- ./my_server --port={port}) || fail "check failed: $out"
grep -q "PASS  INTR-2" <<< "$out" || fail "INTR-2 did not pass: $out"
grep -q "with preload:" <<< "$out" || fail "the installed preload library was not used: $out"

out=$(installed --only=ECHO-1) || fail "the bundled reference server: $out"
grep -q "lib/forkcheck/reference_server" <<< "$out" || fail "not the installed reference server: $out"
# The Korean catalogue is found under share/locale, whether or not the
# ko_KR.UTF-8 locale is installed (LOCPATH hides it).
mkdir -p "$TEST_TMPDIR/no-locales"
out=$(LANG=ko_KR.UTF-8 LOCPATH="$TEST_TMPDIR/no-locales" installed --list 2>&1) || fail "--list in Korean: $out"
grep -q "REAP-2 .*좀비\|REAP-2 .*자식 프로세스" <<< "$out" || fail "no Korean titles from the installed catalogue: $out"
echo "install test passed"
