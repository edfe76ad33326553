#!/usr/bin/env python3
"""Counts GoogleTest cases in bazel-testlogs/**/test.xml; prints 'N passed, N failed'."""
import glob
import sys
import xml.etree.ElementTree as ET


def count(root):
    passed = failed = skipped = 0
    for path in glob.glob(f"{root}/**/test.xml", recursive=True):
        try:
            tree = ET.parse(path)
        except ET.ParseError:
            failed += 1
            print(f"unreadable test log: {path}", file=sys.stderr)
            continue
        for case in tree.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.get("result") == "skipped" or case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
    return passed, failed, skipped


if __name__ == "__main__":
    passed, failed, skipped = count(sys.argv[1] if len(sys.argv) > 1 else "bazel-testlogs")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)
