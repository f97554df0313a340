#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""jsontext.py: check that dualq's JSON document says what its text output says.

usage: jsontext.py JSON TEXT [QNAME-HEX [RECORD-HEX...]]

JSON must be one line of printable ASCII that a strict parser accepts (no raw control byte
in a string, RFC 8259 section 7). Every record of its answer, authority and additional
sections, written as owner TAB ttl TAB class TAB type TAB rdata, must be a line of TEXT
(the same query printed without +json). query.name, read as presentation text (RFC 1035
section 5.1: \\X and \\DDD escapes), must be the wire name QNAME-HEX; each RECORD-HEX is a
wire name or character-string data that some record's owner or RDATA must read back to.
Exit 0 when all hold, 1 with the first failure on stderr.
"""
import json
import sys


def unpresent(text):
    """Presentation text to bytes: \\DDD is a byte, \\X is X; quotes dropped."""
    out, i = bytearray(), 0
    raw = text.encode("ascii")
    while i < len(raw):
        c = raw[i]
        if c == ord("\\"):
            if raw[i + 1:i + 4].isdigit():
                out.append(int(raw[i + 1:i + 4]))
                i += 4
                continue
            out.append(raw[i + 1])
            i += 2
            continue
        if c != ord('"'):
            out.append(c)
        i += 1
    return bytes(out)


def name_wire(text):
    """A presentation name (absolute) to its wire form; labels split on unescaped dots."""
    labels, cur, i = [], bytearray(), 0
    raw = text.encode("ascii")
    while i < len(raw):
        c = raw[i]
        if c == ord("\\"):
            if raw[i + 1:i + 4].isdigit():
                cur.append(int(raw[i + 1:i + 4]))
                i += 4
                continue
            cur.append(raw[i + 1])
            i += 2
            continue
        if c == ord("."):
            labels.append(bytes(cur))
            cur = bytearray()
        else:
            cur.append(c)
        i += 1
    if cur:
        labels.append(bytes(cur))
    return b"".join(bytes([len(l)]) + l for l in labels if l) + b"\0"


def fail(why):
    print("FAIL: " + why, file=sys.stderr)
    sys.exit(1)


def main():
    doc = open(sys.argv[1], "rb").read()
    text = open(sys.argv[2], "rb").read().decode("latin-1").split("\n")
    body = doc[:-1] if doc.endswith(b"\n") else doc
    bad = [b for b in body if b < 0x20 or b > 0x7e]
    if bad:
        fail("the document has raw bytes %s" % sorted(set(bad)))
    try:
        d = json.loads(doc.decode("ascii"))
    except ValueError as e:
        fail("not JSON: %s" % e)
    records = d["answer"] + d["authority"] + d["additional"]
    for r in records:
        line = "%s\t%d\t%s\t%s\t%s" % (r["name"], r["ttl"], r["class"], r["type"], r["rdata"])
        if line not in text:
            fail("record %r is not a line of the text output" % line)
    if len(sys.argv) > 3 and name_wire(d["query"]["name"]) != bytes.fromhex(sys.argv[3]):
        fail("query name %r is not the name asked" % d["query"]["name"])
    seen = set()
    for r in records:
        seen.add(name_wire(r["name"]))
        seen.add(name_wire(r["rdata"]))
        seen.update(unpresent(s) for s in r["rdata"].split('" "'))
    for want in sys.argv[4:]:
        if bytes.fromhex(want) not in seen:
            fail("no record reads back to %s" % want)
    print("ok: %d records as in the text output" % len(records))


if __name__ == "__main__":
    main()
