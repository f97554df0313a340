#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""notifylisten.py: a NOTIFY receiver for the NOTIFY test (tests/system/notify.sh).

Listens on UDP ADDRESS#PORT and appends one line per datagram received to LOG (flushed
at once), numbered from 1:

  n=1 id=4660 opcode=NOTIFY qr=0 aa=1 q=example.com./SOA/IN an=example.com./SOA serial=2026112501 from=127.0.0.1:40000

(or "n=3 malformed from=..." for what does not parse). From the --answer-from'th datagram
on it answers each with the RCODE of --rcode (a response with the same ID and question,
QR set, opcode NOTIFY, RFC 1996 section 4.7); before that it stays silent. With
--answer-from 0 it never answers. Runs until killed; the ready line "listening" goes to
stdout once the socket is bound.
"""
import argparse
import socket
import sys

import dns.flags
import dns.message
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype


def describe(msg):
    q = msg.question[0] if msg.question else None
    words = ["id=%d" % msg.id, "opcode=%s" % dns.opcode.to_text(msg.opcode()),
             "qr=%d" % (1 if msg.flags & dns.flags.QR else 0),
             "aa=%d" % (1 if msg.flags & dns.flags.AA else 0)]
    if q is not None:
        words.append("q=%s/%s/%s" % (q.name, dns.rdatatype.to_text(q.rdtype),
                                     dns.rdataclass.to_text(q.rdclass)))
    for rrset in msg.answer:
        words.append("an=%s/%s" % (rrset.name, dns.rdatatype.to_text(rrset.rdtype)))
        if rrset.rdtype == dns.rdatatype.SOA:
            words.append("serial=%d" % rrset[0].serial)
    return " ".join(words)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--answer-from", type=int, default=1)
    p.add_argument("--rcode", default="NOERROR")
    p.add_argument("--log", required=True)
    a = p.parse_args()
    family = socket.AF_INET6 if ":" in a.address else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((a.address, a.port))
    print("listening", flush=True)
    n = 0
    with open(a.log, "a") as log:
        while True:
            data, peer = s.recvfrom(65535)
            n += 1
            source = "%s:%d" % (peer[0], peer[1])
            try:
                msg = dns.message.from_wire(data)
            except Exception:  # anything malformed is logged, never answered
                log.write("n=%d malformed from=%s\n" % (n, source))
                log.flush()
                continue
            log.write("n=%d %s from=%s\n" % (n, describe(msg), source))
            log.flush()
            if a.answer_from == 0 or n < a.answer_from:
                continue
            resp = dns.message.make_response(msg)
            resp.set_opcode(dns.opcode.NOTIFY)
            resp.set_rcode(dns.rcode.from_text(a.rcode))
            s.sendto(resp.to_wire(), peer)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
