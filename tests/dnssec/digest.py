#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""digest.py: ask one server a table of questions, print each reply as comparable fields.

Used by the DNSSEC tests (dnspython). Reads the table on stdin, one question a line:
    NAME TYPE [+dnssec] [+tcp] [+bufsize=N] [+cd] [+noedns]
(+dnssec sets DO, +bufsize the EDNS size, 1232 by default; +cd sets CD; +noedns sends no
OPT). For each line N (from 1) it prints one line per field, in this order:
    N<TAB>rcode=NOERROR
    N<TAB>aa=1  tc=0  ad=0  cd=0  dobit=1 (the reply's DO, "-" without OPT)
    N<TAB>answer=RR|RR|...  authority=...  additional=... (sorted, the OPT left out)
    N<TAB>unsigned=OWNER/TYPE|... the answer and authority RRsets that came without an
          RRSIG covering them, but for those that are never signed: the NS RRset of a
          referral (AA=0; RFC 4035 section 2.2) and a CNAME synthesized from a DNAME in
          the answer (RFC 6672 section 5.3.1)
A question that gets no reply prints rcode=timeout and empty fields, so every table has
the same number of lines whatever the server does.

usage: digest.py --port PORT [--server 127.0.0.1] [--timeout 2] < table
"""

import argparse
import sys

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

FIELDS = ("rcode", "aa", "tc", "ad", "cd", "dobit", "answer", "authority", "additional",
          "unsigned")


def build(words):
    name, rtype = words[0], words[1]
    opts = words[2:]
    do = "+dnssec" in opts
    tcp = "+tcp" in opts
    size = 1232
    for o in opts:
        if o.startswith("+bufsize="):
            size = int(o.split("=", 1)[1])
    edns = -1 if "+noedns" in opts else 0
    q = dns.message.make_query(name, dns.rdatatype.from_text(rtype), use_edns=edns,
                               want_dnssec=do, payload=size)
    if "+cd" in opts:
        q.flags |= dns.flags.CD
    return q, tcp


def section(rrsets):
    lines = []
    for rrset in rrsets:
        for line in rrset.to_text().splitlines():
            lines.append(" ".join(line.split()))
    return "|".join(sorted(lines))


def unsigned(reply):
    referral = not reply.flags & dns.flags.AA
    missing = []
    for sec in (reply.answer, reply.authority):
        covered = {(r.name, r.covers) for r in sec if r.rdtype == dns.rdatatype.RRSIG}
        dnames = [r.name for r in reply.answer if r.rdtype == dns.rdatatype.DNAME]
        for r in sec:
            if r.rdtype == dns.rdatatype.RRSIG or (r.name, r.rdtype) in covered:
                continue
            if sec is reply.authority and r.rdtype == dns.rdatatype.NS and referral:
                continue
            if r.rdtype == dns.rdatatype.CNAME and any(
                    r.name.is_subdomain(d) and r.name != d for d in dnames):
                continue
            missing.append(f"{r.name}/{dns.rdatatype.to_text(r.rdtype)}")
    return "|".join(sorted(missing))


def digest(reply):
    if reply is None:
        return {f: "" for f in FIELDS} | {"rcode": "timeout"}
    flags = reply.flags
    return {
        "rcode": dns.rcode.to_text(reply.rcode()),
        "aa": int(bool(flags & dns.flags.AA)),
        "tc": int(bool(flags & dns.flags.TC)),
        "ad": int(bool(flags & dns.flags.AD)),
        "cd": int(bool(flags & dns.flags.CD)),
        "dobit": "-" if reply.edns < 0 else int(bool(reply.ednsflags & dns.flags.DO)),
        "answer": section(reply.answer),
        "authority": section(reply.authority),
        "additional": section(reply.additional),
        "unsigned": unsigned(reply),
    }


def ask(q, tcp, server, port, timeout):
    try:
        if tcp:
            return dns.query.tcp(q, server, port=port, timeout=timeout)
        return dns.query.udp(q, server, port=port, timeout=timeout)
    except dns.exception.Timeout:
        return None
    except dns.message.Truncated as e:
        # A truncated reply dnspython could not read to the end: its header still counts.
        return e.message()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--server", default="127.0.0.1")
    ap.add_argument("--timeout", type=float, default=2.0)
    args = ap.parse_args()
    n = 0
    for line in sys.stdin:
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        n += 1
        q, tcp = build(words)
        d = digest(ask(q, tcp, args.server, args.port, args.timeout))
        for f in FIELDS:
            print(f"{n}\t{f}={d[f]}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
