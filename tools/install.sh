#!/usr/bin/env bash
# install.sh: installs forkcheck outside Bazel.
#
#   bazel run //:install -- --prefix=DIR
#
# DIR/bin/forkcheck, DIR/lib/forkcheck/{libforkcheck_inject.so,reference_server},
# DIR/share/man/man1/forkcheck.1 and the Korean messages,
# DIR/share/locale/ko/LC_MESSAGES/forkcheck.mo. The installed binary finds its
# preload library, the reference server and the messages relative to itself. A relative DIR is
# taken from the directory bazel run was started in.
set -euo pipefail

prefix=""
for arg in "$@"; do
  case "$arg" in
    --prefix=*) prefix=${arg#--prefix=} ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument $arg (usage: --prefix=DIR)" >&2; exit 2 ;;
  esac
done
[ -n "$prefix" ] || { echo "install.sh: --prefix=DIR is required" >&2; exit 2; }
case "$prefix" in
  /*) ;;
  *) prefix="${BUILD_WORKING_DIRECTORY:-$PWD}/$prefix" ;;
esac

runfiles="${RUNFILES_DIR:-${TEST_SRCDIR:-$0.runfiles}}/forkcheck"
[ -d "$runfiles" ] || runfiles="$(cd "$(dirname "$0")" && pwd)"
install -D -m 0755 "$runfiles/conformance/forkcheck" "$prefix/bin/forkcheck"
install -D -m 0755 "$runfiles/conformance/inject/libforkcheck_inject.so" "$prefix/lib/forkcheck/libforkcheck_inject.so"
install -D -m 0755 "$runfiles/src/reference_server" "$prefix/lib/forkcheck/reference_server"
install -D -m 0644 "$runfiles/docs/forkcheck.1" "$prefix/share/man/man1/forkcheck.1"
install -D -m 0644 "$runfiles/conformance/locale/ko/LC_MESSAGES/forkcheck.mo" \
  "$prefix/share/locale/ko/LC_MESSAGES/forkcheck.mo"
echo "installed forkcheck into $prefix (bin/forkcheck, lib/forkcheck/, share/man/man1/forkcheck.1, share/locale/)"
