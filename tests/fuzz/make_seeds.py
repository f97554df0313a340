#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""make_seeds.py: writes the seed corpora of the fuzz targets (tests/fuzz/corpus/).

  tests/fuzz/make_seeds.py [OUTDIR]     default: the corpus folder beside this script

query/: one file per message, byte 0 the fuzz_query setting (bit 0: TCP; bits 1-2: the
server's UDP size; see fuzz_query.c), then the DNS message: every malformed case of
tests/conformance.md ("Header and question", "EDNS"), a good query for every name of
tests/data/example.test.zone, dn.test.zone and dnapex.test.zone, and queries below their
DNAMEs (RFC 6672), zone transfer requests (AXFR, IXFR with and without a good SOA), and
queries with DO for the signed zones/example.org.zone.signed (DNSKEY, NXDOMAIN, NODATA,
wildcard, referrals, DS, RRSIG, its NSEC3 owner names).
zone/: the zone files of zones/ (the signed one too) and tests/data/ (includes inlined)
and broken variants,
one per kind of error the loader must report.
reply/: what a server may send dualq for big.example.com TXT (see fuzz_reply.c: byte 0 the
setting, bytes 1-2 the first reply's length, then the UDP reply and the TCP reply): good
exchanges and each misbehaviour of tests/client/badserver.py.
xfrin/: what a primary may answer the transfer client (see fuzz_xfrin.c: byte 0 the
setting, then messages after their two-byte lengths): AXFRs and IXFRs good and broken,
as tests/unit/test_xfrin.c has them.
tcp/: what one client may write on a TCP connection (see fuzz_tcp.c: byte 0 the write
size, then the stream): single and pipelined queries, every framing error of
tests/conformance.md ("TCP"), and queries cut across writes.

Deterministic: running it again writes the same files. Seeds found by fuzzing (crashes,
new coverage) are added beside these by name and survive a rerun.
"""

import base64
import hashlib
import hmac
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

UDP, TCP = 0, 1
SIZE_512 = 2  # bits 1-2 = 1: --udp-size 512
NSID_SHORT = 8
REQUIRE_COOKIE = 24  # bits 3-4 = 3: no NSID, --require-cookie
LOOPBACK_FORCE_TC = 128  # --force-tc=3 and a loopback client (stats.dualns.)

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33,
         "DNAME": 39, "DS": 43, "OPT": 41, "RRSIG": 46, "NSEC": 47, "DNSKEY": 48, "NSEC3": 50,
         "NSEC3PARAM": 51, "TSIG": 250, "IXFR": 251, "AXFR": 252, "ANY": 255}


def name(text):
    if text in (".", ""):
        return b"\x00"
    out = b""
    for label in text.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def header(ident=0x1234, flags=0x0100, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!HHHHHH", ident, flags, qd, an, ns, ar)


def question(qname="www.example.test.", qtype=1, qclass=1, raw=None):
    return (raw if raw is not None else name(qname)) + struct.pack("!HH", qtype, qclass)


def opt(size=1232, version=0, do=False, options=b"", owner=b"\x00", rdlen=None):
    ttl = (version << 16) | (0x8000 if do else 0)
    return owner + struct.pack("!HHIH", 41, size, ttl,
                               len(options) if rdlen is None else rdlen) + options


def option(code, data):
    return struct.pack("!HH", code, len(data)) + data


def query(qname="www.example.test.", qtype="A", qclass=1, edns=None, flags=0x0100):
    q = question(qname, TYPES.get(qtype, qtype) if isinstance(qtype, str) else qtype, qclass)
    if edns is None:
        return header(flags=flags) + q
    return header(flags=flags, ar=1) + q + edns


# RFC 9018 appendix A.1: a client cookie and the server cookie it was given.
COOKIE_A1 = bytes.fromhex("2464c4abcf10c957" "010000005cf79f111f8130c3eee29480")


# The TSIG key and clock of fuzz_query.c: requests signed at FUZZ_TSIG_TIME verify there.
FUZZ_TSIG_KEY = "fuzz.key."
FUZZ_TSIG_SECRET = base64.b64decode("SBqANWyYGDr2AMKgRV4Nj2zIHRoFxQDOujF6L7yIC1A=")
FUZZ_TSIG_TIME = 1800000000


def tsig(msg, key=FUZZ_TSIG_KEY, alg="hmac-sha256.", when=FUZZ_TSIG_TIME, secret=None,
         mac_size=None, rclass=255, ttl=0, owner=None, flip=False):
    """msg (whose ARCOUNT does not count it yet) signed with a TSIG (RFC 8945 section 4.3),
    the MAC computed with Python's hmac; the keyword arguments make it wrong on purpose."""
    digests = {"hmac-sha1.": hashlib.sha1, "hmac-sha256.": hashlib.sha256,
               "hmac-sha512.": hashlib.sha512}
    timers = struct.pack("!HIH", when >> 32, when & 0xffffffff, 300)
    variables = name(key) + struct.pack("!HI", 255, 0) + name(alg) + timers + struct.pack("!HH", 0, 0)
    mac = hmac.new(FUZZ_TSIG_SECRET if secret is None else secret, msg + variables,
                   digests[alg]).digest()
    mac = mac[:len(mac) if mac_size is None else mac_size]
    if flip:
        mac = bytes([mac[0] ^ 1]) + mac[1:]
    rdata = name(alg) + timers + struct.pack("!H", len(mac)) + mac + msg[:2] + struct.pack("!HH", 0, 0)
    rr = (name(key) if owner is None else owner) + struct.pack("!HHIH", 250, rclass, ttl, len(rdata)) + rdata
    ar = struct.unpack("!H", msg[10:12])[0] + 1
    return msg[:10] + struct.pack("!H", ar) + msg[12:] + rr


def ixfr(serial, qname="example.test.", soa_owner=b"\xc0\x0c", rdata=None, edns=None):
    """An IXFR with our serial in an SOA in the authority section (RFC 1995 section 3)."""
    if rdata is None:
        rdata = name("ns1.example.test.") + b"\xc0\x0c" + struct.pack("!IIIII", serial, 1, 1, 1, 1)
    soa = soa_owner + struct.pack("!HHIH", 6, 1, 0, len(rdata)) + rdata
    q = question(qname, 251)
    if edns is None:
        return header(ns=1) + q + soa
    return header(ns=1, ar=1) + q + soa + edns


LOOPBACK_TCP = TCP | LOOPBACK_FORCE_TC


def transfers():
    """Zone transfer requests: allowed (the loopback client), refused, malformed."""
    return [
        ("axfr-tcp", LOOPBACK_TCP, query("example.test.", "AXFR")),
        ("axfr-tcp-edns", LOOPBACK_TCP, query("example.test.", "AXFR", edns=opt(do=True))),
        ("axfr-udp", UDP | LOOPBACK_FORCE_TC, query("example.test.", "AXFR")),
        ("axfr-refused", TCP, query("example.test.", "AXFR", edns=opt())),
        ("axfr-not-apex", LOOPBACK_TCP, query("www.example.test.", "AXFR")),
        ("axfr-failed-zone", LOOPBACK_TCP, query("broken.test.", "AXFR")),
        ("axfr-dname-zone", LOOPBACK_TCP, query("dn.test.", "AXFR")),
        ("axfr-with-authority", LOOPBACK_TCP, header(ns=1) + question("example.test.", 252)
         + b"\xc0\x0c" + struct.pack("!HHIH", 6, 1, 0, 0)),
        ("ixfr-current", LOOPBACK_TCP, ixfr(2026112501)),
        ("ixfr-newer", UDP | LOOPBACK_FORCE_TC, ixfr(2026112502)),
        ("ixfr-old-tcp", LOOPBACK_TCP, ixfr(1)),
        ("ixfr-old-udp", UDP | LOOPBACK_FORCE_TC, ixfr(1, edns=opt())),
        ("ixfr-wrap", LOOPBACK_TCP, ixfr(2026112501 + 0x80000000)),
        ("ixfr-no-soa", LOOPBACK_TCP, query("example.test.", "IXFR")),
        ("ixfr-not-soa", LOOPBACK_TCP, header(ns=1) + question("example.test.", 251)
         + b"\xc0\x0c" + struct.pack("!HHIH", 2, 1, 0, 2) + b"\xc0\x0c"),
        ("ixfr-soa-short", LOOPBACK_TCP, ixfr(1, rdata=b"\x00\x00" + b"\x00" * 19)),
        ("ixfr-soa-long", LOOPBACK_TCP, ixfr(1, rdata=b"\x00\x00" + b"\x00" * 21)),
        ("ixfr-soa-pointer-loop", LOOPBACK_TCP, ixfr(1, soa_owner=b"\xc0\x1f")),
        ("ixfr-rdlen-past-end", LOOPBACK_TCP, ixfr(1)[:-4]),
        ("ixfr-two-soas", LOOPBACK_TCP, header(ns=2) + ixfr(1)[12:] + ixfr(1)[34:]),
    ]


def notify_seeds():
    """NOTIFY requests (RFC 1996 section 3.7): the SOA in the answer section or none, and
    the malformed ones (two answers, another type, an authority record)."""
    rdata = name("ns1.example.test.") + b"\xc0\x0c" + struct.pack("!IIIII", 9, 1, 1, 1, 1)
    soa = b"\xc0\x0c" + struct.pack("!HHIH", 6, 1, 0, len(rdata)) + rdata
    a = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 0, 4) + bytes([192, 0, 2, 1])
    q = question("example.test.", 6)
    op = 4 << 11 | 0x0400
    return [
        ("notify-soa", UDP, header(flags=op, an=1) + q + soa),
        ("notify-bare", UDP, header(flags=op) + q),
        ("notify-tcp", TCP, header(flags=op, an=1) + q + soa),
        ("notify-two-answers", UDP, header(flags=op, an=2) + q + soa + soa),
        ("notify-a-answer", UDP, header(flags=op, an=1) + q + a),
        ("notify-authority", UDP, header(flags=op, ns=1) + q + soa),
        ("notify-type-a", UDP, header(flags=op) + question("example.test.", 1)),
    ]


def tsig_seeds():
    """Signed requests (tests/conformance.md, "TSIG"): good ones and every error."""
    www = query()
    return [
        ("tsig-good", UDP, tsig(www)),
        ("tsig-good-tcp", TCP, tsig(query("big.example.test.", "TXT"))),
        ("tsig-good-edns", UDP, tsig(query(edns=opt(options=option(10, COOKIE_A1[:8]))))),
        ("tsig-truncated-512", UDP | SIZE_512, tsig(query("big.example.test.", "TXT"))),
        ("tsig-truncated-edns", UDP, tsig(query("big.example.test.", "TXT", edns=opt()))),
        ("tsig-mac-16", UDP, tsig(www, mac_size=16)),
        ("tsig-mac-15", UDP, tsig(www, mac_size=15)),
        ("tsig-mac-0", UDP, tsig(www, mac_size=0)),
        ("tsig-badkey", UDP, tsig(www, key="other.key.")),
        ("tsig-badkey-alg", UDP, tsig(www, alg="hmac-sha1.")),
        ("tsig-badsig", UDP, tsig(www, flip=True)),
        ("tsig-badtime", UDP, tsig(www, when=FUZZ_TSIG_TIME - 301)),
        ("tsig-badtime-edns", UDP | SIZE_512, tsig(query(edns=opt()), when=FUZZ_TSIG_TIME + 4000)),
        ("tsig-class-in", UDP, tsig(www, rclass=1)),
        ("tsig-ttl-1", UDP, tsig(www, ttl=1)),
        ("tsig-owner-pointer", UDP, tsig(www, owner=b"\xc0\x0c")),
        ("tsig-two", UDP, tsig(tsig(www))),
        ("tsig-before-opt", UDP, header(ar=2) + tsig(www)[12:] + opt()),
        ("tsig-long-key-name", UDP, tsig(www, key=("a" * 63 + ".") * 3 + "b" * 61 + ".")),
        ("tsig-ch-stats", UDP | LOOPBACK_FORCE_TC, tsig(query("stats.dualns.", "TXT", qclass=3))),
    ]


def malformed():
    """tests/conformance.md, "Header and question" and "EDNS": (name, setting, message)."""
    good = query()
    www = question()
    cases = [
        ("short-0", UDP, b""),
        ("short-5", UDP, good[:5]),
        ("short-11", UDP, good[:11]),
        ("header-only", UDP, header(qd=0)),
        ("qr-set", UDP, header(flags=0x8100) + www),
        ("qr-set-tcp", TCP, header(flags=0x8500) + www),
        ("qdcount-0", UDP, header(qd=0) + www),
        ("qdcount-2", UDP, header(qd=2) + www + www),
        ("qdcount-2-one-question", UDP, header(qd=2) + www),
        ("ancount-1", UDP, header(an=1) + www),
        ("nscount-1", UDP, header(ns=1) + www),
        ("pointer-in-qname", UDP, header() + question(raw=b"\x03www\xc0\x0c")),
        ("pointer-loop", UDP, header() + question(raw=b"\xc0\x0c")),
        ("pointer-to-self", UDP, header() + question(raw=b"\x01a\xc0\x0e")),
        ("extended-label-type", UDP, header() + question(raw=b"\x41" + b"x" * 10 + b"\x00")),
        ("label-63", UDP, header() + question(raw=bytes([63]) + b"a" * 63 + name("example.test."))),
        ("label-64", UDP, header() + question(raw=bytes([64]) + b"a" * 64 + name("example.test."))),
        ("name-255", UDP, header() + question(raw=(b"\x3f" + b"a" * 63) * 3 + b"\x3d" + b"a" * 61 + b"\x00")),
        ("name-256", UDP, header() + question(raw=(b"\x3f" + b"a" * 63) * 3 + b"\x3e" + b"a" * 62 + b"\x00")),
        ("127-labels", UDP, header() + question(raw=b"\x01a" * 127 + b"\x00")),
        ("truncated-qname", UDP, header() + name("www.example.test.")[:6]),
        ("truncated-qtype", UDP, header() + name("www.example.test.") + b"\x00"),
        ("truncated-qclass", UDP, header() + name("www.example.test.") + b"\x00\x01\x00"),
        ("two-opts", UDP, header(ar=2) + www + opt() + opt()),
        ("opt-owner-not-root", UDP, header(ar=1) + www + opt(owner=name("example.test."))),
        ("opt-owner-pointer", UDP, header(ar=1) + www + opt(owner=b"\xc0\x0c")),
        ("opt-option-overruns", UDP, header(ar=1) + www + opt(options=struct.pack("!HH", 3, 10) + b"ab")),
        ("opt-rdlen-overruns", UDP, header(ar=1) + www + opt(rdlen=50)),
        ("opt-half-option", UDP, header(ar=1) + www + opt(options=b"\x00\x03")),
        ("edns-size-0", UDP, query("medium.example.test.", "TXT", edns=opt(size=0))),
        ("edns-size-511", UDP, query("medium.example.test.", "TXT", edns=opt(size=511))),
        ("edns-size-65535", UDP, query("big.example.test.", "TXT", edns=opt(size=65535))),
        ("edns-version-1", UDP, query(edns=opt(version=1))),
        ("edns-version-255-do", UDP, query(edns=opt(version=255, do=True))),
        ("cookie-5", UDP, query(edns=opt(options=option(10, b"12345")))),
        ("cookie-8", UDP, query(edns=opt(options=option(10, b"12345678")))),
        ("cookie-15", UDP, query(edns=opt(options=option(10, b"x" * 15)))),
        ("cookie-16", UDP, query(edns=opt(options=option(10, b"x" * 16)))),
        ("cookie-40", UDP, query(edns=opt(options=option(10, b"x" * 40)))),
        ("cookie-41", UDP, query(edns=opt(options=option(10, b"x" * 41)))),
        # RFC 9018 appendix A.1's client cookie and the server cookie it gets: valid in
        # fuzz_query.c (its secret, its time, its client with --require-cookie), wrong
        # for the loopback client.
        ("cookie-a1-udp-required", UDP | REQUIRE_COOKIE, query(edns=opt(options=option(10, COOKIE_A1)))),
        ("cookie-a1-tcp-required", TCP | REQUIRE_COOKIE, query(edns=opt(options=option(10, COOKIE_A1)))),
        ("cookie-8-udp-required", UDP | REQUIRE_COOKIE, query(edns=opt(options=option(10, COOKIE_A1[:8])))),
        ("cookie-24-loopback", UDP | LOOPBACK_FORCE_TC, query(edns=opt(options=option(10, COOKIE_A1)))),
        ("cookie-8-512-truncated", UDP | SIZE_512, query("medium.example.test.", "TXT", edns=opt(options=option(10, COOKIE_A1[:8])))),
        ("cookie-twice", UDP, query(edns=opt(options=option(10, COOKIE_A1[:8]) * 2))),
        ("cookie-twice-required", UDP | REQUIRE_COOKIE, query(edns=opt(options=option(10, COOKIE_A1) + option(10, COOKIE_A1[:8])))),
        ("cookie-with-nsid", UDP | NSID_SHORT, query(edns=opt(options=option(3, b"") + option(10, COOKIE_A1)))),
        ("cookie-badvers", UDP, query(edns=opt(version=1, options=option(10, COOKIE_A1)))),
        ("nsid", UDP | NSID_SHORT, query(edns=opt(options=option(3, b"")))),
        ("nsid-512", UDP | NSID_SHORT | SIZE_512, query("medium.example.test.", "TXT", edns=opt(options=option(3, b"")))),
        ("keepalive-tcp", TCP, query(edns=opt(options=option(11, b"")))),
        ("keepalive-with-value", TCP, query(edns=opt(options=option(11, b"\x00\x10")))),
        ("keepalive-udp", UDP, query(edns=opt(options=option(11, b"")))),
        ("unknown-option", UDP, query(edns=opt(options=option(65001, b"hello")))),
        ("tsig-after-opt", UDP, header(ar=2) + www + opt() + b"\xc0\x0c" + struct.pack("!HHIH", 250, 255, 0, 3) + b"abc"),
        ("rr-runs-past", UDP, header(ar=1) + www + b"\x00\x00\x29"),
        ("trailing-bytes", UDP, good + b"\xde\xad\xbe\xef"),
        ("qtype-0", UDP, query(qtype=0)),
        ("qtype-opt", UDP, query(qtype="OPT")),
        ("qtype-tsig", UDP, query(qtype="TSIG")),
        ("qtype-axfr-udp", UDP, query("example.test.", "AXFR")),
        ("qtype-axfr-tcp", TCP, query("example.test.", "AXFR")),
        ("qtype-ixfr-udp", UDP, query("example.test.", "IXFR")),
        ("qtype-maila", UDP, query(qtype=254)),
        ("class-0", UDP, query(qclass=0)),
        ("class-ch", UDP, query(qclass=3)),
        ("class-hs", UDP, query(qclass=4)),
        ("class-none", UDP, query(qclass=254)),
        ("class-any", UDP, query(qclass=255)),
        ("ch-id-server", UDP, query("id.server.", "TXT", qclass=3)),
        ("ch-version-bind", UDP, query("version.bind.", "TXT", qclass=3, edns=opt())),
        ("ch-hostname-bind-any", TCP, query("hostname.bind.", "ANY", qclass=3)),
        ("ch-hidden", UDP | 32, query("version.server.", "TXT", qclass=3)),
        ("ch-unknown", UDP, query("foo.server.", "TXT", qclass=3)),
        ("ch-stats-loopback", UDP | LOOPBACK_FORCE_TC, query("stats.dualns.", "TXT", qclass=3, edns=opt())),
        ("ch-stats-loopback-tcp", TCP | LOOPBACK_FORCE_TC, query("stats.dualns.", "ANY", qclass=3)),
        ("ch-stats-not-loopback", UDP, query("stats.dualns.", "TXT", qclass=3)),
        ("force-tc", UDP | LOOPBACK_FORCE_TC, query("www.example.test.", "A", edns=opt())),
        ("flags-all-set", UDP, header(flags=0x07ff) + www),
        ("rcode-bits-set", UDP, header(flags=0x010f) + www),
        ("root-name", UDP, query(".", "NS")),
        ("refused-zone", UDP, query("www.example.org.", "A")),
        ("servfail-broken", UDP, query("ns1.broken.test.", "A", edns=opt())),
        ("own-zone", UDP, query("www.own.example.test.", "A")),
        ("mixed-case-0x20", UDP, query("wWw.ExAmPlE.TeSt.", "A")),
        ("escaped-bytes", UDP, header() + question(raw=b"\x04a.b\\\x03\x00\xff" + name("example.test."))),
    ]
    for op in range(1, 16):
        cases.append(("opcode-%d" % op, UDP, header(flags=(op << 11) | 0x0100) + www))
    cases.append(("opcode-5-tcp", TCP, header(flags=5 << 11) + www))
    # A COOKIE of every length 0..40 (RFC 7873 section 4: 8, or 16 to 40, are well formed).
    cases += [("cookie-len-%d" % n, UDP, query(edns=opt(options=option(10, bytes(range(1, n + 1))))))
              for n in range(0, 41)]
    return cases


def zone_names(path, origin):
    """Owner names of a zone file (good enough for the seeds: blank owners skipped)."""
    names = []
    for line in open(path, encoding="ascii"):
        if not line.strip() or line[0] in " \t;$":
            continue
        owner = line.split()[0]
        if owner == "@":
            full = origin
        elif owner.endswith("."):
            full = owner
        else:
            full = owner + "." + origin
        if full not in names:
            names.append(full)
    return names


def good_queries():
    cases = []
    data = os.path.join(TOP, "tests", "data")
    names = zone_names(os.path.join(data, "example.test.zone"), "example.test.")
    names += zone_names(os.path.join(data, "sizes.inc"), "example.test.")
    names += ["anything.wild.example.test.", "a.b.wild.example.test.", "foo.wcname.example.test.",
              "www.sub.example.test.", "x.host.wild.example.test.", "nothing.example.test.",
              "www.own.example.test."]
    seen = set()
    for n in names:
        if n in seen:
            continue
        seen.add(n)
        slug = re.sub(r"[^a-z0-9-]", "_", n.rstrip(".").replace(".example.test", "") or "apex")
        cases.append(("good-%s-a-udp" % slug, UDP, query(n, "A")))
        cases.append(("good-%s-any-tcp-edns" % slug, TCP, query(n, "ANY", edns=opt(do=True))))
    for t in ("SOA", "NS", "MX", "DS", "TXT", "AAAA", "CNAME", "SRV"):
        cases.append(("good-apex-%s-udp-edns" % t.lower(), UDP, query("example.test.", t, edns=opt())))
    for n, t in (("big", "TXT"), ("medium", "TXT"), ("manyglue", "A")):
        for setting, tag in ((UDP, "udp"), (UDP | SIZE_512, "udp512"), (TCP, "tcp")):
            cases.append(("size-%s-%s" % (n, tag), setting, query(n + ".example.test.", t)))
            cases.append(("size-%s-%s-edns" % (n, tag), setting,
                          query(n + ".example.test.", t, edns=opt(size=4096))))
    cases.append(("good-deleg-ds", UDP, query("deleg.example.test.", "DS")))
    cases.append(("good-sub-ds", UDP, query("sub.example.test.", "DS")))
    cases.append(("good-unknown-type65280", UDP, query("unknown.example.test.", 65280)))
    return cases + dname_queries() + signed_queries()


def signed_queries():
    """Queries with DO (RFC 3225) for the signed example zone, each answer kind of RFC 4035
    section 3.1 and RFC 5155 section 7.2: DNSKEY (too big for 512 with its RRSIGs),
    NXDOMAIN, NODATA (an empty non-terminal too), wildcard answer and wildcard NODATA,
    referrals with and without DS, DS and DNSKEY at a cut, RRSIG, NSEC3PARAM, and the NSEC3
    owner names (not names of the zone for lookups); some without DO and with CD."""
    signed = os.path.join(TOP, "zones", "example.org.zone.signed")
    asks = [("example.org.", "DNSKEY"), ("example.org.", "SOA"), ("example.org.", "NS"),
            ("example.org.", "NSEC3PARAM"), ("example.org.", "RRSIG"), ("example.org.", "ANY"),
            ("www.example.org.", "A"), ("www.example.org.", "RRSIG"), ("www.example.org.", "TXT"),
            ("alias.example.org.", "A"), ("nothing.example.org.", "A"),
            ("a.nothing.example.org.", "AAAA"), ("b.ent.example.org.", "A"),
            ("ent.example.org.", "TXT"), ("a.b.ent.example.org.", "TXT"),
            ("anything.wild.example.org.", "TXT"), ("anything.wild.example.org.", "A"),
            ("a.b.wild.example.org.", "TXT"), ("wild.example.org.", "TXT"),
            ("secure.example.org.", "DS"), ("secure.example.org.", "DNSKEY"),
            ("www.secure.example.org.", "A"), ("ns1.secure.example.org.", "A"),
            ("insecure.example.org.", "DS"), ("www.insecure.example.org.", "A"),
            ("insecure.example.org.", "NS"), ("nothing.example.org.", "DS"),
            ("www.example.org.", "NSEC3")]
    with open(signed) as f:
        owners = sorted({line.split()[0] for line in f
                         if len(line.split()) > 3 and line.split()[3] == "NSEC3"})
    for owner in owners[:3]:
        asks += [(owner, "NSEC3"), (owner, "A"), ("x." + owner, "A")]
    cases = []
    for i, (n, t) in enumerate(asks):
        for setting, tag in ((UDP, "udp"), (UDP | SIZE_512, "udp512"), (TCP, "tcp")):
            cases.append(("signed-%02d-%s-do" % (i, tag), setting,
                          query(n, t, edns=opt(do=True))))
        cases.append(("signed-%02d-udp-nodo" % i, UDP, query(n, t, edns=opt())))
        # CD set (RFC 4035 section 3.1.6: cleared in the answer), over TCP.
        cases.append(("signed-%02d-tcp-do-cd" % i, TCP,
                      query(n, t, edns=opt(do=True), flags=0x0110)))
    return cases


def dname_queries():
    """The names of the DNAME zones, and names below their DNAMEs: each step of RFC 6672
    section 3.2 (into and out of the zone, a CNAME after, YXDOMAIN, loops, a cut above)."""
    cases = []
    data = os.path.join(TOP, "tests", "data")
    names = zone_names(os.path.join(data, "dn.test.zone"), "dn.test.")
    names += zone_names(os.path.join(data, "dnapex.test.zone"), "dnapex.test.")
    for n in names:
        slug = re.sub(r"[^a-z0-9-]", "_", n.rstrip("."))[:60]
        cases.append(("dname-%s-a-udp" % slug, UDP, query(n, "A")))
        cases.append(("dname-%s-dname-tcp" % slug, TCP, query(n, "DNAME", edns=opt())))
    # 242 bytes above old.dn.test.: a synthesized name of 255 bytes that fits no 512 answer.
    long_prefix = ".".join(["a" * 63] * 3 + ["a" * 49])
    below = [
        ("www.old.dn.test.", "A"), ("WwW.OlD.dn.test.", "AAAA"), ("mail.old.dn.test.", "MX"),
        ("alias.old.dn.test.", "A"), ("nothing.old.dn.test.", "A"), ("www.old.dn.test.", "CNAME"),
        ("www.old.dn.test.", "ANY"), ("www.away.dn.test.", "A"), ("www.tocname.dn.test.", "A"),
        ("www.red.side.dn.test.", "A"), ("www.side.dn.test.", "TXT"),
        ("0123456789abc.deep.dn.test.", "A"), ("0123456789ab.deep.dn.test.", "A"),
        ("0123456789abc.deepin.dn.test.", "A"), ("www.x.cut.dn.test.", "A"),
        ("a.loop.dn.test.", "A"), ("x.ping.dn.test.", "A"), ("www.new.dnapex.test.", "A"),
        (long_prefix + ".old.dn.test.", "A"),
    ]
    for i, (n, t) in enumerate(below):
        for setting, tag in ((UDP, "udp"), (UDP | SIZE_512, "udp512"), (TCP, "tcp")):
            cases.append(("dname-below-%02d-%s" % (i, tag), setting, query(n, t)))
            cases.append(("dname-below-%02d-%s-edns" % (i, tag), setting, query(n, t, edns=opt())))
    return cases


def inline_includes(path):
    out = []
    for line in open(path, encoding="ascii"):
        m = re.match(r"\$INCLUDE\s+(\S+)", line)
        if m:
            out.append(open(os.path.join(os.path.dirname(path), m.group(1)), encoding="ascii").read())
        else:
            out.append(line)
    return "".join(out)


ZONE_HEAD = "$ORIGIN fuzz.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"


def zone_seeds():
    cases = []
    for folder in ("zones", os.path.join("tests", "data")):
        for f in sorted(os.listdir(os.path.join(TOP, folder))):
            if f.endswith(".zone") or f.endswith(".zone.signed"):
                text = inline_includes(os.path.join(TOP, folder, f))
                cases.append(("file-" + f, text))
    broken = {
        "bad-owner": "bad..owner IN A 192.0.2.2\n",
        "label-64": ("a" * 64) + " IN A 192.0.2.2\n",
        "name-256": ".".join(["a" * 63] * 4) + " IN A 192.0.2.2\n",
        "bad-ttl": "www 99999999999 IN A 192.0.2.2\n",
        "bad-ttl-directive": "$TTL 1x\nwww IN A 192.0.2.2\n",
        "bad-a": "www IN A 300.1.2.3\n",
        "bad-aaaa": "www IN AAAA 2001:db8:::1:2:3:4:5:6\n",
        "bad-mx": "www IN MX mail\n",
        "bad-txt": 'www IN TXT "unterminated\n',
        "bad-srv": "_s._tcp IN SRV 1 2 notaport host\n",
        "bad-soa": "x IN SOA ns1 hostmaster 1 2\n",
        "bad-ds": "www IN DS 1 8 2 zz\n",
        "bad-caa": 'www IN CAA 0 issue\n',
        "unknown-type-rfc3597": "www IN TYPE65280 \\# 4 0a000001\nwww2 IN TYPE65281 \\# 0\n",
        "unknown-type-bad-length": "www IN TYPE65280 \\# 5 0a000001\n",
        "two-soa": "@ IN SOA ns2 hostmaster 2 7200 3600 1209600 300\n",
        "soa-not-apex": "www IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n",
        "cname-and-data": "www IN CNAME ns1\nwww IN A 192.0.2.2\n",
        "two-cnames": "www IN CNAME ns1\nwww IN CNAME ns2\n",
        "cname-apex": "@ IN CNAME ns1\n",
        "out-of-zone": "www.example.org. IN A 192.0.2.2\n",
        "class-ch": "www CH TXT \"chaos\"\n",
        "include-self": "$INCLUDE fuzz.zone\n",
        "include-missing": "$INCLUDE nothere.inc\n",
        "include-folder": "$INCLUDE .\n",
        "include-origin": "$INCLUDE nothere.inc sub.fuzz.test.\n",
        "directive-no-arg": "$ORIGIN\n",
        "unknown-directive": "$GENERATE 1-10 host$ A 192.0.2.$\n",
        "unbalanced-close": "www IN A 192.0.2.2 )\n",
        "unterminated-paren": "www IN TXT ( \"a\"\n",
        "escapes": 'w\\046w IN TXT "a\\"b" "\\255\\000"\n\\@ IN A 192.0.2.3\n',
        "relative-origin": "$ORIGIN sub\nwww IN A 192.0.2.4\n$ORIGIN fuzz.test.\n",
        "wildcards": "* IN A 192.0.2.5\n*.w IN CNAME www\nwww IN A 192.0.2.6\nx.*.y IN TXT \"odd\"\n",
        "delegation": "sub IN NS ns.sub\nns.sub IN A 192.0.2.7\nsub IN DS 1 8 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nbelow.ns.sub IN A 192.0.2.8\n",
        "dname": "d IN DNAME example.org.\n",
        "dname-two": "d IN DNAME a.example.\nd IN DNAME b.example.\n",
        "dname-cname": "d IN DNAME a.example.\nd IN CNAME ns1\n",
        "dname-data-below": "d IN DNAME a.example.\nx.y.d IN A 192.0.2.12\n",
        "dname-ns": "d IN NS ns.example.\nd IN DNAME a.example.\n",
        "dname-apex": "@ IN DNAME example.org.\n",
        "dname-loop": "d IN DNAME x.d.fuzz.test.\ne IN DNAME f.fuzz.test.\nf IN DNAME e.fuzz.test.\n",
        "dname-below-cut": "c IN NS ns.c\nns.c IN A 192.0.2.13\nx.c IN DNAME fuzz.test.\n",
        "cname-loop": "a IN CNAME b\nb IN CNAME c\nc IN CNAME a\n",
        "duplicates": "www IN A 192.0.2.9\nwww IN A 192.0.2.9\nWWW IN A 192.0.2.9\n",
        "many-types": "m IN HINFO \"cpu\" \"os\"\nm IN NAPTR 100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:a@b!\" .\nm IN SSHFP 1 1 0123456789abcdef0123456789abcdef01234567\nm IN HTTPS 1 . alpn=h2\nm IN LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m\nm IN PTR www\nm IN RP hostmaster txt\n",
        "ttl-units": "$TTL 1w2d3h4m5s\nt 1h IN A 192.0.2.10\n",
        "blank-owner": "www IN A 192.0.2.11\n    IN AAAA 2001:db8::11\n",
        "apex-no-ns": None,
        "no-soa": None,
        "empty": None,
        "binary": None,
    }
    for key, extra in broken.items():
        if key == "apex-no-ns":
            text = "$ORIGIN fuzz.test.\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
        elif key == "no-soa":
            text = "$ORIGIN fuzz.test.\nwww IN A 192.0.2.1\n"
        elif key == "empty":
            text = ""
        elif key == "binary":
            text = "\x00\x01\x02garbage\xff\n".encode("latin-1")
        else:
            text = ZONE_HEAD + extra
        cases.append(("broken-" + key, text))
    cases.append(("origin-given", ";origin=fuzz.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"))
    cases.append(("origin-given-mismatch", ";origin=other.test.\n" + ZONE_HEAD))
    cases.append(("origin-given-bad", ";origin=bad..name\n" + ZONE_HEAD))
    return cases


def reply_seeds():
    """(label, setting, udp reply, tcp reply or b"") for fuzz_reply.c."""
    qid = 0x1234
    big = name("big.example.com.")
    q = question("big.example.com.", TYPES["TXT"])

    def txt_rr(i, compressed=True):
        text = ("record %02d " % i).encode() + b"x" * 90
        owner = b"\xc0\x0c" if compressed else big
        return owner + struct.pack("!HHIH", 16, 1, 300, len(text) + 1) + bytes([len(text)]) + text

    def reply(flags, an=(), ns=(), ar=(), edns=True, ident=qid, qd=q):
        extra = list(ar) + ([opt(1232, options=option(3, b"ns1"))] if edns else [])
        return (header(ident, flags, 1 if qd else 0, len(an), len(ns), len(extra)) + (qd or b"")
                + b"".join(an) + b"".join(ns) + b"".join(extra))

    aa_qr = 0x8400
    all40 = [txt_rr(i) for i in range(40)]
    soa = (b"\xc0\x10" + struct.pack("!HHIH", 6, 1, 300, 22) + b"\x02ns\xc0\x10"
           + b"\x02hm\xc0\x10" + struct.pack("!IIIII", 1, 7200, 3600, 1209600, 300))
    seeds = [
        ("good-tc-then-tcp", 1, reply(aa_qr | 0x0200), reply(aa_qr, all40)),
        ("fits-udp", 0, reply(aa_qr, all40[:3]), b""),
        ("compare-equal", 1 | 32, reply(aa_qr, all40[:3]), reply(aa_qr, all40[:3])),
        ("compare-short", 1 | 32, reply(aa_qr, all40[:2]), reply(aa_qr, all40[:3])),
        ("partial-counted-wrong", 0, reply(aa_qr, all40[:10])[:700], b""),
        ("oversize", 0, reply(aa_qr, all40), b""),
        ("noopt-tc", 1, reply(aa_qr | 0x0200, edns=False), reply(aa_qr, all40)),
        ("tc-over-tcp", 1, reply(aa_qr | 0x0200), reply(aa_qr | 0x0200)),
        ("wrong-id", 1, reply(aa_qr | 0x0200, ident=0x4321), reply(aa_qr, all40, ident=0x4321)),
        ("nxdomain-soa", 0, reply(aa_qr | 3, ns=[soa]), b""),
        ("servfail-no-question", 0, reply(0x8002, qd=None, edns=False), b""),
        ("nsid-dnssec", 4 | 16, reply(aa_qr, all40[:1]), b""),
        ("noedns", 8, reply(aa_qr, all40[:1], edns=False), b""),
        ("retried-and-icmp", 64 | 128, reply(aa_qr, all40[:1]), b""),
        ("uncompressed", 0, reply(aa_qr, [txt_rr(i, False) for i in range(3)]), b""),
        ("pointer-loop", 0, header(qid, aa_qr, 1, 1, 0, 0) + q + b"\xc0\x21" + struct.pack("!HHIH", 16, 1, 1, 0), b""),
        ("short-header", 0, b"\x12\x34\x84", b""),
        ("empty", 1, b"", b""),
    ]
    return seeds


def tcp_seeds():
    """(label, write-size byte, stream) for fuzz_tcp.c."""
    def framed(msg):
        return struct.pack("!H", len(msg)) + msg

    a = query("www.example.test.", "A")
    edns = query("www.example.test.", "TXT", edns=opt(1232, options=option(11, b"")))
    big = query("big.example.test.", "TXT", edns=opt(1232))
    resp = query("www.example.test.", "A", flags=0x8100)
    return [
        ("one", 0, framed(a)),
        ("pipelined", 0, framed(a) + framed(edns) + framed(big) + framed(a)),
        ("byte-by-byte", 64, framed(a) + framed(edns)),
        ("seven-byte-writes", 6, framed(edns) + framed(a) * 3),
        ("length-zero", 0, framed(a) + b"\x00\x00" + framed(a)),
        ("length-five", 0, b"\x00\x05" + a[:5]),
        ("length-eleven", 0, framed(a) + b"\x00\x0b" + a[:11]),
        ("cut-short", 0, framed(a)[:-3]),
        ("length-only", 0, b"\x01\x00"),
        ("longest-length", 0, b"\xff\xff" + a),
        ("response-closes", 0, framed(a) + framed(resp) + framed(a)),
        ("axfr-refused", 0, framed(query("example.test.", "AXFR")) + framed(a)),
        ("garbage", 0, framed(b"\x12\x34" + b"\xff" * 30)),
    ]


def xfrin_seeds():
    """(label, setting, messages) for fuzz_xfrin.c: zone x.test., ID 0x1234."""
    def rr(owner, rtype, rdata, ttl=300):
        return name(owner) + struct.pack("!HHIH", TYPES[rtype], 1, ttl, len(rdata)) + rdata

    def soa(serial):
        return rr("x.test.", "SOA", name("ns.x.test.") + name("h.x.test.") +
                  struct.pack("!IIIII", serial, 7200, 3600, 1209600, 300), 3600)

    def a(owner, last):
        return rr(owner, "A", bytes([192, 0, 2, last]))

    def msg(qtype, records, first=True, rcode=0, ident=0x1234):
        return (header(ident=ident, flags=0x8400 | rcode, qd=1 if first else 0,
                       an=len(records)) +
                (question("x.test.", TYPES[qtype]) if first else b"") + b"".join(records))

    def framed(*msgs):
        return b"".join(struct.pack("!H", len(m)) + m for m in msgs)

    ns = rr("x.test.", "NS", name("ns.x.test."))
    glue = a("ns.x.test.", 1)
    # A pointer to the question's name (offset 12) as the owner.
    compressed = b"\xc0\x0c" + struct.pack("!HHIH", 2, 1, 300, 2) + b"\xc0\x0c"
    return [
        ("axfr-good", 0, framed(msg("AXFR", [soa(5), ns, glue]),
                                msg("AXFR", [a("www.x.test.", 9), soa(5)], first=False))),
        ("axfr-no-end", 0, framed(msg("AXFR", [soa(5), ns, glue]))),
        ("axfr-compressed", 0, framed(msg("AXFR", [soa(5), compressed, glue, soa(5)]))),
        ("axfr-cname-clash", 0, framed(msg("AXFR", [
            soa(5), ns, glue, rr("www.x.test.", "CNAME", name("ns.x.test.")),
            a("www.x.test.", 9), soa(5)]))),
        ("axfr-wrong-id", 2, framed(msg("AXFR", [soa(5), ns, glue, soa(5)], ident=7))),
        ("axfr-refused", 2, framed(msg("AXFR", [], rcode=5))),
        ("ixfr-single-soa", 1, framed(msg("IXFR", [soa(1)]))),
        ("ixfr-condensed", 1, framed(msg("IXFR", [
            soa(3), soa(1), a("www.x.test.", 81), soa(3), a("www.x.test.", 82), soa(3)]))),
        ("ixfr-multi", 1, framed(
            msg("IXFR", [soa(3), soa(1), rr("gone.x.test.", "TXT", b"\x03bye"), soa(2)]),
            msg("IXFR", [a("tmp.x.test.", 5), soa(2), a("tmp.x.test.", 5)], first=False),
            msg("IXFR", [soa(3), a("last.x.test.", 3), soa(3)], first=False))),
        ("ixfr-absent", 1, framed(msg("IXFR", [soa(2), soa(1), a("www.x.test.", 99), soa(2),
                                               soa(2)]))),
        ("ixfr-whole-zone", 3, framed(msg("IXFR", [soa(7), ns, glue, soa(7)]))),
        ("ixfr-notimp", 1, framed(msg("IXFR", [], rcode=4))),
        ("garbage", 3, framed(b"\x12\x34" + b"\xff" * 30)),
    ]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    qdir, zdir = os.path.join(out, "query"), os.path.join(out, "zone")
    rdir, tdir = os.path.join(out, "reply"), os.path.join(out, "tcp")
    xdir = os.path.join(out, "xfrin")
    for d in (qdir, zdir, rdir, tdir, xdir):
        os.makedirs(d, exist_ok=True)
    n = 0
    for label, setting, stream in xfrin_seeds():
        with open(os.path.join(xdir, "seed-" + label), "wb") as f:
            f.write(bytes([setting]) + stream)
        n += 1
    for label, setting, stream in tcp_seeds():
        with open(os.path.join(tdir, "seed-" + label), "wb") as f:
            f.write(bytes([setting]) + stream)
        n += 1
    for label, setting, udp, tcp in reply_seeds():
        with open(os.path.join(rdir, "seed-" + label), "wb") as f:
            f.write(bytes([setting]) + struct.pack("!H", len(udp)) + udp + tcp)
        n += 1
    for label, setting, msg in (malformed() + good_queries() + tsig_seeds() + transfers() +
                                notify_seeds()):
        with open(os.path.join(qdir, "seed-" + label), "wb") as f:
            f.write(bytes([setting]) + msg)
        n += 1
    for label, text in zone_seeds():
        with open(os.path.join(zdir, "seed-" + label), "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode("latin-1"))
        n += 1
    print("wrote %d seeds under %s" % (n, out))


if __name__ == "__main__":
    main()
