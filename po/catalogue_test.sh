#!/usr/bin/env bash
# The Korean catalogue is complete and current: the template regenerated
# from the sources equals po/forkcheck.pot (a new message must reach it), and
# po/ko.po translates every message of it, none fuzzy, with the same
# placeholders.
set -euo pipefail
cd "${TEST_SRCDIR}/forkcheck"
status=0
fresh="${TEST_TMPDIR}/forkcheck.pot"
po/extract.sh "$fresh" "$@"
if ! diff -u po/forkcheck.pot "$fresh" > "${TEST_TMPDIR}/pot.diff"; then
  echo "po/forkcheck.pot is out of date: run tools/update_po.sh and translate the new messages in po/ko.po"
  head -60 "${TEST_TMPDIR}/pot.diff"
  status=1
fi
stats=$(msgfmt --check --statistics --output-file=/dev/null po/ko.po 2>&1) || { echo "$stats"; status=1; }
echo "msgfmt: $stats"
if grep -q -e fuzzy -e untranslated <<< "$stats"; then
  echo "po/ko.po has fuzzy or untranslated messages: translate them"
  status=1
fi
if ! msgcmp po/ko.po po/forkcheck.pot; then
  echo "po/ko.po lacks a translation of the messages above: run tools/update_po.sh and translate them"
  status=1
fi
python3 po/check_placeholders.py po/ko.po || status=1
exit "$status"
