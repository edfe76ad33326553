#!/bin/sh
# busybox_httpd.sh: BusyBox httpd in the foreground on 127.0.0.1:PORT, for
# forkcheck --protocol=http (see conformance/COMPATIBILITY.md, "Daemons"):
#
#   forkcheck --protocol=http --http-large-path=/large.bin -- \
#       tools/daemons/busybox_httpd.sh {port}
#
# The current directory becomes the document root (forkcheck starts every
# server in a fresh temporary directory of its own), with:
#   index.html  a small page, what GET / returns;
#   large.bin   16 MiB of spaces, a reply large enough to fill the socket
#               buffers (--http-large-path);
#   httpd.conf  empty, passed with -c so that no /etc/httpd.conf is read.
# Only shell builtins run before the exec: no other process starts (and
# loads forkcheck's LD_PRELOAD) ahead of httpd, and httpd keeps this
# script's pid, so it is the process forkcheck watches.
#
# httpd -f: foreground; -v: one "response:NNN" line per request on stderr
# (written by the child that served it); -p ADDR:PORT binds loopback only.
# httpd forks one child per connection (networking/httpd.c mini_httpd())
# and lets the kernel reap them (signal(SIGCHLD, SIG_IGN) in httpd_main()).
set -eu
if [ $# -lt 1 ]; then
  echo "usage: $0 PORT [extra httpd options...]" >&2
  exit 2
fi
port=$1
shift
printf '<!doctype html>\n<title>forkcheck</title>\n<p>busybox httpd, served for forkcheck\n' > index.html
printf '%16777216s' '' > large.bin
: > httpd.conf
# Debian installs busybox in /bin (/usr/bin); a test runner's PATH may be short.
PATH=/usr/bin:/bin:$PATH
exec busybox httpd -f -v -p "127.0.0.1:$port" -h "$PWD" -c "$PWD/httpd.conf" "$@"
