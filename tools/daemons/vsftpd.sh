#!/bin/sh
# vsftpd.sh: vsftpd in standalone mode, in the foreground on 127.0.0.1:PORT,
# for forkcheck --protocol=exchange:tools/daemons/ftp.exchange (see
# conformance/COMPATIBILITY.md, "Daemons"):
#
#   forkcheck --protocol=exchange:tools/daemons/ftp.exchange -- \
#       tools/daemons/vsftpd.sh {port}
#
#   vsftpd.sh PORT [-oSETTING=VALUE ...]
#
# vsftpd reads its settings from a file that must belong to the user running
# it (parseconf.c vsf_parseconf_load_file()), and takes no port argument, so
# this script writes vsftpd-PORT.conf into the current directory (forkcheck
# starts every server in a fresh temporary directory of its own) and execs
# vsftpd on it: vsftpd keeps this script's pid and is the process forkcheck
# watches. Only shell builtins run before the exec. Extra -oSETTING=VALUE
# arguments are passed on and override the file (vsftpd(8)), e.g.
# -oidle_session_timeout=3 for an idle timeout of 3 s, -oisolate=NO.
#
# Must run as root (vsftpd's die_unless_privileged()); Debian's package
# provides the unprivileged users "ftp" (anonymous logins) and "nobody"
# (nopriv_user) and /var/run/vsftpd/empty (secure_chroot_dir).
#
# The settings, all else being vsftpd's built-in defaults (tunables.c):
#   listen=YES, background=NO  standalone, in the foreground: one forked
#                              session process per connection
#                              (standalone.c vsf_standalone_main())
#   listen_address=127.0.0.1   loopback only
#   anonymous_enable=YES       USER anonymous works, any PASS
#   anon_root=DIR              the anonymous session chroots into this
#                              directory (root-owned, not writable by ftp)
#   max_clients=0, max_per_ip=0  no caps: every forkcheck connection comes
#                              from 127.0.0.1, and at the default caps
#                              (2000, 50 per IP) the 51st concurrent client
#                              gets "421 There are too many connections from
#                              your internet address." instead of a session
#   write_enable=NO, xferlog_enable=NO, syslog_enable=NO, session_support=NO
#                              nothing is written outside DIR (no log, no
#                              wtmp)
#   local_enable=NO            no PAM
#   connect_from_port_20=NO    no privileged data port
set -eu
if [ $# -lt 1 ]; then
  echo "usage: $0 PORT [-oSETTING=VALUE ...]" >&2
  exit 2
fi
port=$1
shift
conf="$PWD/vsftpd-$port.conf"
chroot_dir=/var/run/vsftpd/empty
[ -d "$chroot_dir" ] || chroot_dir=$PWD
printf '%s\n' \
  "listen=YES" \
  "listen_ipv6=NO" \
  "background=NO" \
  "listen_address=127.0.0.1" \
  "listen_port=$port" \
  "anonymous_enable=YES" \
  "anon_root=$PWD" \
  "local_enable=NO" \
  "write_enable=NO" \
  "max_clients=0" \
  "max_per_ip=0" \
  "xferlog_enable=NO" \
  "syslog_enable=NO" \
  "session_support=NO" \
  "connect_from_port_20=NO" \
  "secure_chroot_dir=$chroot_dir" > "$conf"
# Debian installs vsftpd in /usr/sbin, which a test runner's PATH may lack.
PATH=/usr/sbin:/sbin:$PATH
exec vsftpd "$conf" "$@"
