#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""changeset.py: one change set of a zone as sorted lines "removed RR" / "added RR", each
record as "owner TTL CLASS TYPE RDATA" with single spaces and the owner lowercased, so that
ldns's and kdig's printing compare equal (they agree on the RDATA of the types journal.sh
uses: SOA, NS, A, AAAA, MX, TXT).

  changeset.py journaldiff FILE   FILE is journaldiff's output: "removed RR" / "added RR"
  changeset.py ixfr FILE          FILE is kdig's output of an IXFR answer (RFC 1995
                                  section 4): its deltas condensed into one (section 5)

Exits 1 with a message when the input is not what it should be (an IXFR answered with
a whole zone, say)."""
import sys


def record(text):
    """(owner, ttl, class, type, rdata) of one presentation-form record."""
    words = text.split()
    if len(words) < 5 or not words[1].isdigit():
        sys.exit("changeset.py: not a record: %r" % text)
    return (words[0].lower(), int(words[1]), words[2].upper(), words[3].upper(),
            " ".join(words[4:]))


def text(rr):
    return "%s %d %s %s %s" % rr


def from_journaldiff(lines):
    removed, added = set(), set()
    for line in lines:
        what, _, rest = line.partition(" ")
        if what not in ("removed", "added"):
            sys.exit("changeset.py: not a journaldiff line: %r" % line)
        (removed if what == "removed" else added).add(record(rest))
    return removed, added


def from_ixfr(lines):
    """The condensed change set of an IXFR answer: current SOA, then deltas (old SOA,
    removed, new SOA, added), then the current SOA again."""
    rrs = [record(line) for line in lines]
    if len(rrs) < 2 or rrs[0][3] != "SOA" or rrs[1][3] != "SOA":
        sys.exit("changeset.py: not an incremental answer (RFC 1995 section 4): %s"
                 % (text(rrs[1]) if len(rrs) > 1 else "too short"))
    last = rrs[0]
    if rrs[-1] != last:
        sys.exit("changeset.py: the answer does not end with the current SOA")
    removed, added = set(), set()
    body = rrs[1:-1]
    i = 0
    while i < len(body):
        r, a = {body[i]}, set()
        i += 1
        while i < len(body) and body[i][3] != "SOA":
            r.add(body[i])
            i += 1
        if i == len(body):
            sys.exit("changeset.py: a delta without its new SOA")
        a.add(body[i])
        i += 1
        while i < len(body) and body[i][3] != "SOA":
            a.add(body[i])
            i += 1
        # Composing with what came before: RFC 1995 section 5's condensation.
        removed, added = (removed - a) | (r - added), (added - r) | (a - removed)
    return removed, added


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("journaldiff", "ixfr"):
        sys.exit(__doc__)
    with open(sys.argv[2]) as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith(";")]
    removed, added = (from_journaldiff if sys.argv[1] == "journaldiff" else from_ixfr)(lines)
    for rr in sorted(removed):
        print("removed", text(rr))
    for rr in sorted(added):
        print("added", text(rr))


main()
