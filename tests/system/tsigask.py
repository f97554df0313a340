#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tsigask.py: send one TSIG-signed query (dnspython) and describe the answer.

For the cases dig cannot make: a clock off by --skew seconds (BADTIME), a MAC cut to
--mac-size bytes, a key the server does not know, a wrong secret. The answer is read byte by byte, so an error answer is
described whatever its TSIG holds, and a signed one is checked with dnspython against the
request's MAC.

Output, one line:
  rcode=NOTAUTH tc=0 tsig=1 tsigerror=BADTIME macsize=32 other=1796119283 verified=0
(tsig=0 when the answer has no TSIG; other is Other Data as a number, - when empty;
verified=1 when dnspython accepts the answer's MAC; badtime when it stops at a BADTIME
error before looking at the MAC). "timeout" when nothing came.
"""

import argparse
import socket
import struct
import sys
import time

import dns.message
import dns.name
import dns.rcode
import dns.tsig
import dns.tsigkeyring

ERRORS = {0: "NOERROR", 16: "BADSIG", 17: "BADKEY", 18: "BADTIME", 22: "BADTRUNC"}


def skip_name(wire, pos):
    while True:
        c = wire[pos]
        if c & 0xC0 == 0xC0:
            return pos + 2
        if c == 0:
            return pos + 1
        pos += 1 + c


def last_record(wire):
    """The TSIG RDATA fields of the last additional record, or None."""
    qd, an, ns, ar = struct.unpack("!HHHH", wire[4:12])
    if ar == 0:
        return None
    pos = 12
    for _ in range(qd):
        pos = skip_name(wire, pos) + 4
    for _ in range(an + ns + ar - 1):
        pos = skip_name(wire, pos)
        rdlen = struct.unpack("!H", wire[pos + 8:pos + 10])[0]
        pos += 10 + rdlen
    pos = skip_name(wire, pos)
    rtype = struct.unpack("!H", wire[pos:pos + 2])[0]
    if rtype != 250:
        return None
    pos = skip_name(wire, pos + 10)
    _hi, _lo, _fudge, macsize = struct.unpack("!HIHH", wire[pos:pos + 10])
    pos += 10 + macsize
    _orig, error, olen = struct.unpack("!HHH", wire[pos:pos + 6])
    other = wire[pos + 6:pos + 6 + olen]
    return error, macsize, other


def truncate_mac(wire, size):
    """wire with its TSIG's MAC cut to its first size bytes (RFC 8945 section 5.2.2.1)."""
    qd, an, ns, ar = struct.unpack("!HHHH", wire[4:12])
    pos = 12
    for _ in range(qd):
        pos = skip_name(wire, pos) + 4
    for _ in range(an + ns + ar - 1):
        pos = skip_name(wire, pos)
        pos += 10 + struct.unpack("!H", wire[pos + 8:pos + 10])[0]
    fixed = skip_name(wire, pos)
    rdata = fixed + 10
    alg_end = skip_name(wire, rdata)
    macsize = struct.unpack("!H", wire[alg_end + 8:alg_end + 10])[0]
    mac = wire[alg_end + 10:alg_end + 10 + macsize][:size]
    tail = wire[alg_end + 10 + macsize:]
    new_rdata = wire[rdata:alg_end + 8] + struct.pack("!H", len(mac)) + mac + tail
    return wire[:fixed + 8] + struct.pack("!H", len(new_rdata)) + new_rdata


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--key", required=True, help="NAME:ALG:SECRET")
    ap.add_argument("--skew", type=int, default=0, help="seconds added to our clock")
    ap.add_argument("--tcp", action="store_true")
    ap.add_argument("--bufsize", type=int, default=0, help="EDNS size; 0: no EDNS")
    ap.add_argument("--mac-size", type=int, default=-1, help="send only this much of the MAC")
    ap.add_argument("qname")
    ap.add_argument("qtype", nargs="?", default="A")
    a = ap.parse_args()

    name, alg, secret = a.key.split(":", 2)
    keyring = dns.tsigkeyring.from_text({name: (alg, secret)})
    real = time.time
    time.time = lambda: real() + a.skew
    q = dns.message.make_query(a.qname, a.qtype, use_edns=0 if a.bufsize else None,
                               payload=a.bufsize or 1232)
    q.flags &= ~0x0100
    q.use_tsig(keyring, keyname=name, algorithm=alg)
    wire = q.to_wire()
    time.time = real
    if a.mac_size >= 0:
        wire = truncate_mac(wire, a.mac_size)

    if a.tcp:
        s = socket.create_connection(("127.0.0.1", a.port), timeout=2)
        s.sendall(struct.pack("!H", len(wire)) + wire)
        buf = b""
        try:
            while len(buf) < 2 or len(buf) < 2 + struct.unpack("!H", buf[:2])[0]:
                chunk = s.recv(65535)
                if not chunk:
                    break
                buf += chunk
        except socket.timeout:
            pass
        resp = buf[2:]
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(2)
        s.sendto(wire, ("127.0.0.1", a.port))
        try:
            resp = s.recv(65535)
        except socket.timeout:
            resp = b""
    if len(resp) < 12:
        print("timeout")
        return 0
    flags = struct.unpack("!H", resp[2:4])[0]
    rcode = dns.rcode.to_text(flags & 0xF)
    t = last_record(resp)
    out = "rcode=%s tc=%d" % (rcode, (flags >> 9) & 1)
    if t is None:
        print(out + " tsig=0 verified=0")
        return 0
    error, macsize, other = t
    verified = 0
    if macsize > 0:
        try:
            dns.message.from_wire(resp, keyring=keyring, request_mac=q.mac)
            verified = 1
        except dns.tsig.PeerBadTime:
            # dnspython stops at the error before the MAC; check the MAC at the time
            # the answer was signed for (its own Time Signed).
            verified = "badtime"
        except Exception as e:  # noqa: BLE001 - any failure is "not verified"
            print("# dnspython: %r" % e, file=sys.stderr)
    print("%s tsig=1 tsigerror=%s macsize=%d other=%s verified=%s" % (
        out, ERRORS.get(error, str(error)), macsize,
        int.from_bytes(other, "big") if other else "-", verified))
    return 0


if __name__ == "__main__":
    sys.exit(main())
