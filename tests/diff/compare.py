#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""compare.py OURS THEIRS ALLOW-LIST: the type1 differential test's verdict.

Line by line, the two runner outputs must be equal, or both match one
rule of the allow-list (tests/diff/allow-list.txt). Prints each allowed
difference with its rule, each other one in full, and a summary; exit 1
on any unexpected difference (a missing or extra line included).
"""
import re
import sys


def rules(path):
    out, rule, why = [], None, []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("rule: "):
            if rule:
                out.append((rule, " ".join(why)))
            rule, why = re.compile(line[6:]), []
        elif line.startswith("why:") and rule:
            why.append(line[4:].strip())
        elif line.startswith("      ") and rule and why:
            why.append(line.strip())
    if rule:
        out.append((rule, " ".join(why)))
    return out


def main():
    ours = open(sys.argv[1], encoding="utf-8").read().splitlines()
    theirs = open(sys.argv[2], encoding="utf-8").read().splitlines()
    allow = rules(sys.argv[3])
    calls = sum(1 for l in ours if l.startswith("CALL "))
    allowed, bad = {}, 0
    for i in range(max(len(ours), len(theirs))):
        a = ours[i] if i < len(ours) else "(no line)"
        b = theirs[i] if i < len(theirs) else "(no line)"
        if a == b:
            continue
        hit = next((r for r in allow if r[0].search(a) and r[0].search(b)), None)
        if hit:
            allowed[hit[0].pattern] = allowed.get(hit[0].pattern, 0) + 1
            continue
        bad += 1
        print(f"line {i + 1}: differs\n  ours:  {a}\n  Linux: {b}")
    for pattern, n in allowed.items():
        print(f"allowed {n}x: {pattern}")
    print(f"{calls} calls, {sum(allowed.values())} allowed differences, "
          f"{bad} unexpected")
    return 1 if bad or not calls else 0


if __name__ == "__main__":
    sys.exit(main())
