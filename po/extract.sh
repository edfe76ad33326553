#!/usr/bin/env bash
# extract.sh OUT FILE...: writes the message template of FILE... to OUT.
# Run from the repository root with paths relative to it; tools/update_po.sh
# and //po:catalogue_test both call it, so they agree byte for byte.
# The creation date is left out so that the template changes only when a
# message does.
set -euo pipefail
out=$1
shift
printf '%s\n' "$@" | grep -v -e '_test\.cc$' -e '/testing/' | LC_ALL=C sort -u |
  xgettext --files-from=- --output="$out" --language=C++ --from-code=UTF-8 \
    --keyword= --keyword=Tr --keyword=Say --keyword=SayN:1,2 --keyword=N_ \
    --flag=Tr:1:no-c-format --flag=Say:1:no-c-format --flag=SayN:1:no-c-format \
    --flag=SayN:2:no-c-format --flag=N_:1:no-c-format \
    --add-comments=TRANSLATORS: --add-location=file \
    --package-name=forkcheck --msgid-bugs-address=forkcheck-maintainers
sed -i '/^"POT-Creation-Date:/d' "$out"
