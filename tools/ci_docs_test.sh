#!/usr/bin/env bash
# docs/ci.md: every ```yaml block parses, and the recipes use the options
# forkcheck really has.
set -euo pipefail
doc="$TEST_SRCDIR/forkcheck/docs/ci.md"
/usr/bin/python3 - "$doc" <<'PY'
import re, sys, yaml
text = open(sys.argv[1]).read()
blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
assert len(blocks) == 2, f"expected 2 yaml blocks, found {len(blocks)}"
for block in blocks:
    document = yaml.safe_load(block)
    assert isinstance(document, dict) and document, "a recipe is not a mapping"
    assert "--junit=forkcheck.xml" in block and "--expectations=" in block, "a recipe lacks the report or expectations"
print(f"{len(blocks)} YAML recipes parse")
PY
forkcheck="$TEST_SRCDIR/forkcheck/conformance/forkcheck"
# Read whole first: grep -q stopping early would cut forkcheck's pipe.
help=$("$forkcheck" --help)
for option in --profile --expectations --junit --version; do
  grep -q -- "$option" <<< "$help" || { echo "forkcheck has no $option" >&2; exit 1; }
done
