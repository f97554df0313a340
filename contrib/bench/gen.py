#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""gen.py: writes the benchmark zones and query files (standard library only).

  gen.py zone DIR              bench.test zone -> DIR/bench.test.zone
  gen.py queries DIR N [KEY=VALUE...]
                               N queries, wire format with 2-byte length prefixes
                               (dnsperf -B), a fixed mix (see MIX) -> DIR/queries.bin,
                               and the same mix as text -> DIR/queries.txt (for reading);
                               edns=SHARE of the queries with an OPT RR (default 0.70),
                               do=SHARE of those with DO set (default 0.10),
                               only=CATEGORY (one of MIX's, say NXDOMAIN): that one alone,
                               name=BASE: DIR/BASE.bin, BASE.txt, BASE.mix.txt instead
  gen.py bigzone DIR NAMES     NAMES names with A + TXT (2 * NAMES records) -> DIR/big.test.zone

The output is the same on every run (fixed random seed), so runs compare.
"""
import os
import random
import struct
import sys

ORIGIN = "bench.test."
HOSTS = 10000  # h0..h9999: A; every 4th also AAAA
CNAMES = 1000  # c0..c999: CNAME to a host
DELEGS = 100  # d0..d99: delegations with in-domain glue
BIG_TXT = 8  # "big" owns 8 TXT of 200 bytes: about 1.6 kB, over 1232, so TC=1

# The query mix, per 100 queries: (weight, category).
MIX = [
    (35, "positive A"),
    (5, "positive AAAA"),
    (2, "positive MX (apex)"),
    (3, "positive NS (apex, with glue)"),
    (12, "NXDOMAIN"),
    (8, "NODATA"),
    (10, "CNAME"),
    (10, "wildcard"),
    (10, "referral"),
    (3, "truncated (TXT RRset > 1232 bytes)"),
]
MIXED_CASE = 0.10  # share of queries whose name is sent in random case (0x20 style)
EDNS = 0.70  # share of queries with an OPT RR (payload 1232); the rest have none
EDNS_DO = 0.10  # share of the EDNS queries that also set DO

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28}


def write_zone(d):
    out = [
        "; bench.test: the benchmark zone; each name family serves one part of the query mix.",
        "$ORIGIN " + ORIGIN,
        "$TTL 3600",
        "@ IN SOA ns1 hostmaster 2026112501 7200 3600 1209600 300",
        "@ IN NS ns1",
        "@ IN NS ns2",
        "@ IN MX 10 mail",
        "@ IN A 192.0.2.1",
        "ns1 IN A 192.0.2.53",
        "ns2 IN A 192.0.2.54",
        "ns2 IN AAAA 2001:db8::54",
        "mail IN A 192.0.2.25",
        "*.wild IN A 192.0.2.99",
        "*.wild IN TXT \"wildcard\"",
    ]
    for i in range(HOSTS):
        out.append("h%d IN A 10.%d.%d.%d" % (i, i >> 16 & 255, i >> 8 & 255, i & 255))
        if i % 4 == 0:
            out.append("h%d IN AAAA 2001:db8::%x" % (i, i))
    for i in range(CNAMES):
        out.append("c%d IN CNAME h%d" % (i, (i * 7) % HOSTS))
    for i in range(DELEGS):
        out.append("d%d IN NS ns1.d%d" % (i, i))
        out.append("d%d IN NS ns2.d%d" % (i, i))
        out.append("ns1.d%d IN A 192.0.2.%d" % (i, i + 1))
        out.append("ns2.d%d IN A 198.51.100.%d" % (i, i + 1))
    for i in range(BIG_TXT):
        out.append("big IN TXT \"%s\"" % (chr(ord("a") + i) * 200))
    with open(os.path.join(d, "bench.test.zone"), "w") as f:
        f.write("\n".join(out) + "\n")


def wire_name(name):
    b = b""
    for label in name.rstrip(".").split("."):
        b += bytes([len(label)]) + label.encode()
    return b + b"\0"


def mixed_case(rng, name):
    return "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else c for c in name)


def pick(rng, cat):
    """Returns (name, type) for one query of the category."""
    if cat == "positive A":
        return "h%d.%s" % (rng.randrange(HOSTS), ORIGIN), "A"
    if cat == "positive AAAA":
        return "h%d.%s" % (rng.randrange(HOSTS // 4) * 4, ORIGIN), "AAAA"
    if cat.startswith("positive MX"):
        return ORIGIN, "MX"
    if cat.startswith("positive NS"):
        return ORIGIN, "NS"
    if cat == "NXDOMAIN":
        return "nx%d.%s" % (rng.randrange(1000000), ORIGIN), "A"
    if cat == "NODATA":
        return "h%d.%s" % (rng.randrange(HOSTS), ORIGIN), "TXT"
    if cat == "CNAME":
        return "c%d.%s" % (rng.randrange(CNAMES), ORIGIN), "A"
    if cat == "wildcard":
        return "w%d.wild.%s" % (rng.randrange(1000000), ORIGIN), "A"
    if cat == "referral":
        return "www.d%d.%s" % (rng.randrange(DELEGS), ORIGIN), "A"
    if cat.startswith("truncated"):
        return "big." + ORIGIN, "TXT"
    raise ValueError(cat)


def write_queries(d, n, opts):
    rng = random.Random(4)
    edns_share = float(opts.get("edns", EDNS))
    do_share = float(opts.get("do", EDNS_DO))
    base = opts.get("name", "queries")
    only = opts.get("only")
    if only is not None and only not in [c for _, c in MIX]:
        sys.exit("gen.py: only=%s: not a category of the mix (%s)" % (only, ", ".join(c for _, c in MIX)))
    cats = [c for w, c in MIX for _ in range(w) if only is None or c == only]
    counts = {c: 0 for _, c in MIX}
    counts.update({"mixed case": 0, "EDNS": 0, "EDNS+DO": 0, "no EDNS": 0})
    with open(os.path.join(d, base + ".bin"), "wb") as fb, open(os.path.join(d, base + ".txt"), "w") as ft:
        for _ in range(n):
            cat = rng.choice(cats)
            counts[cat] += 1
            name, qtype = pick(rng, cat)
            if rng.random() < MIXED_CASE:
                name = mixed_case(rng, name)
                counts["mixed case"] += 1
            edns = rng.random() < edns_share
            do = edns and rng.random() < do_share
            # ID 0 (dnsperf overwrites it), RD=0 as an authoritative server sees.
            msg = struct.pack("!HHHHHH", 0, 0, 1, 0, 0, 1 if edns else 0)
            msg += wire_name(name) + struct.pack("!HH", TYPES[qtype], 1)
            if edns:
                # OPT: root owner, type 41, class = payload 1232, TTL = flags (DO = 0x8000).
                msg += b"\0" + struct.pack("!HHIH", 41, 1232, 0x8000 if do else 0, 0)
                counts["EDNS+DO" if do else "EDNS"] += 1
            else:
                counts["no EDNS"] += 1
            fb.write(struct.pack("!H", len(msg)) + msg)
            ft.write("%s %s%s\n" % (name, qtype, " +do" if do else " +edns" if edns else ""))
    with open(os.path.join(d, "mix.txt" if base == "queries" else base + ".mix.txt"), "w") as f:
        for k, v in counts.items():
            if only is not None and v == 0:
                continue
            f.write("%-36s %5.1f%%\n" % (k, 100.0 * v / n))


def write_bigzone(d, names):
    with open(os.path.join(d, "big.test.zone"), "w") as f:
        f.write("$ORIGIN big.test.\n$TTL 3600\n")
        f.write("@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n")
        buf = []
        for i in range(names):
            buf.append("n%d IN A 10.%d.%d.%d\nn%d IN TXT \"record %d of the big zone\"\n"
                       % (i, i >> 16 & 255, i >> 8 & 255, i & 255, i, i))
            if len(buf) == 10000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    what, d = sys.argv[1], sys.argv[2]
    if what == "zone":
        write_zone(d)
    elif what == "queries":
        opts = dict(a.split("=", 1) for a in sys.argv[4:] if "=" in a)
        if len(opts) != len(sys.argv[4:]):
            sys.exit(__doc__)
        write_queries(d, int(sys.argv[3]), opts)
    elif what == "bigzone":
        write_bigzone(d, int(sys.argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
