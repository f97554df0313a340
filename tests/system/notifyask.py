#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""notifyask.py: send one NOTIFY (RFC 1996, opcode 4) over UDP with dnspython and
describe the answer.

  notifyask.py --port P [--source ADDR] [--key NAME:ALG:SECRET] ZONE

Output, one line:
  rcode=NOERROR opcode=4 qr=1 aa=1 id=1 question=zone./SOA/IN ede=- tsig=0 verified=-
(ede: the EDE code of the answer's OPT, - for none; verified=1 when dnspython accepts the
signed answer's MAC). "timeout" when nothing came.
"""

import argparse
import socket
import struct
import sys

import dns.edns
import dns.flags
import dns.message
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.tsigkeyring


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--source", default="127.0.0.1")
    ap.add_argument("--key", help="NAME:ALG:SECRET")
    ap.add_argument("zone")
    a = ap.parse_args()

    q = dns.message.make_query(a.zone, "SOA", use_edns=0, payload=1232)
    q.set_opcode(dns.opcode.NOTIFY)
    q.flags = (q.flags & ~dns.flags.RD) | dns.flags.AA
    if a.key:
        name, alg, secret = a.key.split(":", 2)
        q.use_tsig(dns.tsigkeyring.from_text({name: (alg, secret)}), keyname=name,
                   algorithm=alg)
    wire = q.to_wire()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.source, 0))
    s.settimeout(2)
    s.sendto(wire, ("127.0.0.1", a.port))
    try:
        resp, _ = s.recvfrom(65535)
    except socket.timeout:
        print("timeout")
        return 0
    # The header and the question by hand, so that any answer is described.
    _id, flags, qd = struct.unpack("!HHH", resp[:6])
    question = "-"
    tsig = verified = ede = "-"
    try:
        r = dns.message.from_wire(resp, keyring=q.keyring, request_mac=q.mac or b"",
                                  ignore_trailing=True)
        if r.question:
            rr = r.question[0]
            question = "%s/%s/%s" % (rr.name, dns.rdatatype.to_text(rr.rdtype),
                                     dns.rdataclass.to_text(rr.rdclass))
        tsig = "1" if r.had_tsig else "0"
        verified = "1" if r.had_tsig else "-"
        for opt in r.options:
            if opt.otype == 15:
                ede = str(opt.code)
    except Exception as e:  # an unsigned or unverifiable answer: say so
        tsig, verified = "1", "0"
        print("# %s" % e, file=sys.stderr)
    print("rcode=%s opcode=%d qr=%d aa=%d id=%d qd=%d question=%s ede=%s tsig=%s verified=%s" % (
        dns.rcode.to_text(flags & 0xF), (flags >> 11) & 0xF, flags >> 15, (flags >> 10) & 1,
        _id == q.id, qd, question, ede, tsig, verified))
    return 0


if __name__ == "__main__":
    sys.exit(main())
