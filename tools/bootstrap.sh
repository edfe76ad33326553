#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test forkcheck
# offline. Idempotent: quiet and quick when everything is present.
set -euo pipefail

packages=(
  bazel-bootstrap bazel-rules-java      # Bazel 4.2.3 and its Java rules, used offline
  g++ python3                           # compiler; python3 counts test results in .ci/run
  libgtest-dev libgmock-dev             # GoogleTest / GoogleMock 1.12
  librapidcheck-dev                     # property-based tests
  libcli11-dev nlohmann-json3-dev       # command lines, JSON reports
  libre2-dev libfmt-dev libbenchmark-dev
  fiu-utils libfiu-dev strace           # fault injection (libfiu preload, strace inject)
  ucspi-tcp socat                       # third-party forking servers to check
  xinetd                                # the super-server, checked by tools/compat.sh (built-in echo, and /bin/cat inetd-style)
  busybox                               # busybox httpd -f, checked with --protocol=http (tools/daemons/busybox_httpd.sh)
  dropbear-bin                          # dropbear -F, an SSH server checked with --protocol=banner (no service is installed)
  vsftpd                                # FTP server checked with --protocol=exchange (tools/daemons/vsftpd.sh); on a systemd host the package also starts vsftpd.service on port 21
  man-db                                # man -l renders forkcheck(1) in the install test
  python3-yaml                          # the CI recipes of docs/ci.md are parsed in a test
  chromium fonts-liberation fonts-nanum # headless Chromium renders the HTML report in a test (Nanum: Hangul glyphs for the Korean report)
  gettext locales                       # xgettext/msgmerge/msgfmt for po/; the ko_KR.UTF-8 locale for Korean messages
)

# Korean messages need the ko_KR.UTF-8 locale (forkcheck falls back to
# C.UTF-8 without it, and says so). Generated once, kept in /etc/locale.gen.
ensure_korean_locale() {
  locale -a 2>/dev/null | grep -ix 'ko_KR.utf8' >/dev/null && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "bootstrap: the ko_KR.UTF-8 locale is missing (Korean messages then show through C.UTF-8); run tools/bootstrap.sh as root to generate it" >&2
    return 0
  fi
  echo "bootstrap: generating the ko_KR.UTF-8 locale" >&2
  sed -i 's/^# *\(ko_KR.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^ko_KR.UTF-8 UTF-8' /etc/locale.gen || echo 'ko_KR.UTF-8 UTF-8' >> /etc/locale.gen
  localedef -i ko_KR -c -f UTF-8 -A /usr/share/locale/locale.alias ko_KR.UTF-8
}

missing=()
for package in "${packages[@]}"; do
  [[ "$package" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  ensure_korean_locale
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "bootstrap: these packages are missing: ${missing[*]}; run tools/bootstrap.sh as root (or with sudo) to install them" >&2
  exit 2
fi

echo "bootstrap: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
ensure_korean_locale
echo "bootstrap: done" >&2
