#!/usr/bin/env bash
# update_po.sh: regenerates po/forkcheck.pot from the sources and merges it
# into po/ko.po (new messages arrive untranslated, changed ones fuzzy; both
# fail //po:catalogue_test until a translator has seen them).
#
#   tools/update_po.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t sources < <(git ls-files --cached --others --exclude-standard 'conformance/*.cc' 'conformance/*.h' 'scenarios/*.cc' 'scenarios/*.h')
po/extract.sh po/forkcheck.pot "${sources[@]}"
[ -f po/ko.po ] || msginit --no-translator --locale=ko_KR.UTF-8 --input=po/forkcheck.pot --output-file=po/ko.po
msgmerge --quiet --update --backup=none po/ko.po po/forkcheck.pot
msgfmt --check --statistics --output-file=/dev/null po/ko.po
