#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""jsoncheck.py: assert facts about one of dualq's JSON documents, one Python expression each.

usage: jsoncheck.py FILE EXPR...   (the document is bound to d; exit 1 at the first false one)
"""
import json
import sys


def main():
    with open(sys.argv[1]) as f:
        d = json.load(f)
    for expr in sys.argv[2:]:
        try:
            ok = eval(expr, {"d": d})
        except Exception as e:  # a missing key is a failed check, reported like one
            ok, expr = False, "%s (%s: %s)" % (expr, type(e).__name__, e)
        if not ok:
            print("FAIL: %s" % expr, file=sys.stderr)
            sys.exit(1)
        print("ok: %s" % expr)


if __name__ == "__main__":
    main()
