#!/usr/bin/env python3
"""check_placeholders.py PO: every translation uses exactly the {N} placeholders
of its English message (fmt would otherwise throw, and forkcheck fall back to
English). Prints one line per broken entry; exit 1 if any."""
import re
import sys

PLACEHOLDER = re.compile(r"\{(\d*)(?::[^}]*)?\}")


def unquote(line):
    return bytes(line.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def entries(path):
    entry, key = {}, None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip():
            if entry:
                yield entry
            entry, key = {}, None
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            continue
        match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d+\])?|msgctxt)\s+(".*")$', line)
        if match:
            key = match.group(1)
            entry[key] = unquote(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += unquote(line)
    if entry:
        yield entry


def names(text):
    return sorted(set(PLACEHOLDER.findall(text.replace("{{", "").replace("}}", ""))))


def main():
    bad = 0
    for entry in entries(sys.argv[1]):
        msgid = entry.get("msgid", "")
        if not msgid:
            continue
        wanted = names(msgid + entry.get("msgid_plural", ""))
        for key, text in entry.items():
            if key.startswith("msgstr") and text and names(text) != wanted:
                print(f"{sys.argv[1]}: {msgid!r}: {key} has placeholders {names(text)}, the English {wanted}")
                bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
