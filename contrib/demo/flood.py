#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""flood.py: a bounded burst of UDP queries from one source address, as a forger would send
them in a victim's name, and what came back to that address.

The queries leave from --source (on loopback any 127.x.y.z is ours, so "forging" a source
needs no raw socket) over --sockets sockets, so their source ports vary and SO_REUSEPORT
spreads them over a server's workers. They are paced at --rate per second for --count
queries (both bounded), each with a new ID, one question (--qname, --qtype), an OPT with
--bufsize unless --noedns, and --cookie HEX as an EDNS COOKIE option when given.

Every reply is counted once, by the socket and ID it answers:
  answered  a reply with TC=0
  slipped   a reply with TC=1 and no records (a rate limiter's slip, or truncation)
  dropped   no reply within --wait seconds after the last query
Output, one line: sent=N answered=N slipped=N dropped=N bytes_out=N bytes_in=N
  amplification=X rcodes=NOERROR:N,... cookie_echoed=N (bytes_out: the DNS payloads
sent, the flood's bytes; bytes_in: the payloads that came back, what the source
received; amplification: bytes_in / bytes_out), or --json.
Only 127.0.0.0/8 and ::1 are allowed as server: this is a test tool, not a weapon.
Python standard library only.
"""

import argparse
import ipaddress
import json
import os
import select
import socket
import struct
import sys
import time

TYPES = {"A": 1, "NS": 2, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28, "ANY": 255, "DNSKEY": 48}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED",
          16: "BADVERS", 23: "BADCOOKIE"}
OPT_COOKIE = 10
HEADER = 12


def wire_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(qid, qname, qtype, bufsize, cookie):
    msg = struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0 if bufsize is None else 1)
    msg += wire_name(qname) + struct.pack("!HH", qtype, 1)
    if bufsize is not None:
        opts = b""
        if cookie is not None:
            opts = struct.pack("!HH", OPT_COOKIE, len(cookie)) + cookie
        msg += b"\0" + struct.pack("!HHIH", 41, bufsize, 0, len(opts)) + opts
    return msg


def skip_name(msg, pos):
    while pos < len(msg):
        n = msg[pos]
        if n == 0:
            return pos + 1
        if n & 0xC0 == 0xC0:
            return pos + 2
        pos += n + 1
    return pos


def reply_facts(msg):
    """(rcode, tc, records, cookie) of a reply; cookie is the COOKIE option's bytes or None."""
    _, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:HEADER])
    rcode, tc, cookie = flags & 0xF, bool(flags & 0x0200), None
    pos = HEADER
    for _ in range(qd):
        pos = skip_name(msg, pos) + 4
    records = 0
    for i in range(an + ns + ar):
        pos = skip_name(msg, pos)
        if pos + 10 > len(msg):
            break
        rtype, rclass, ttl, rdlen = struct.unpack("!HHIH", msg[pos:pos + 10])
        rdata = msg[pos + 10:pos + 10 + rdlen]
        pos += 10 + rdlen
        if rtype == 41:
            rcode |= (ttl >> 24) << 4
            opos = 0
            while opos + 4 <= len(rdata):
                code, olen = struct.unpack("!HH", rdata[opos:opos + 4])
                if code == OPT_COOKIE:
                    cookie = rdata[opos + 4:opos + 4 + olen]
                opos += 4 + olen
        else:
            records += 1
    return rcode, tc, records, cookie


def loopback(addr):
    try:
        return ipaddress.ip_address(addr).is_loopback
    except ValueError:
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--source", default="127.0.0.2", help="the address the queries come from")
    ap.add_argument("--sockets", type=int, default=16, help="source ports (default 16)")
    ap.add_argument("--count", type=int, default=2000, help="queries in all (at most 1000000)")
    ap.add_argument("--rate", type=float, default=2000.0, help="queries per second")
    ap.add_argument("--qname", required=True)
    ap.add_argument("--qtype", default="A")
    ap.add_argument("--bufsize", type=int, default=1232)
    ap.add_argument("--noedns", action="store_true")
    ap.add_argument("--cookie", help="COOKIE option bytes in hex (8 to 40 bytes)")
    ap.add_argument("--wait", type=float, default=1.0, help="seconds to wait for late replies")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if not loopback(a.server) or not loopback(a.source):
        ap.error("--server and --source must be loopback addresses (127.0.0.0/8, ::1)")
    if not 1 <= a.count <= 1000000 or not 1 <= a.sockets <= 1024 or a.rate <= 0:
        ap.error("--count 1..1000000, --sockets 1..1024, --rate > 0")
    cookie = bytes.fromhex(a.cookie) if a.cookie else None
    qtype = TYPES.get(a.qtype.upper()) or int(a.qtype)
    bufsize = None if a.noedns else a.bufsize

    family = socket.AF_INET6 if ":" in a.server else socket.AF_INET
    socks = []
    for _ in range(a.sockets):
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.bind((a.source, 0))
        s.connect((a.server, a.port))
        s.setblocking(False)
        socks.append(s)
    poller = select.poll()
    by_fd = {s.fileno(): i for i, s in enumerate(socks)}
    for s in socks:
        poller.register(s, select.POLLIN)

    outstanding = set()
    counts = {"answered": 0, "slipped": 0}
    rcodes = {}
    bytes_out = bytes_in = echoed = sent = 0
    qid0 = int.from_bytes(os.urandom(2), "big")

    def drain(timeout_ms):
        nonlocal bytes_in, echoed
        for fd, _ in poller.poll(timeout_ms):
            s = socks[by_fd[fd]]
            while True:
                try:
                    msg = s.recv(65535)
                except (BlockingIOError, ConnectionRefusedError):
                    break
                if len(msg) < HEADER:
                    continue
                key = (by_fd[fd], struct.unpack("!H", msg[:2])[0])
                if key not in outstanding:
                    continue
                outstanding.discard(key)
                bytes_in += len(msg)
                rcode, tc, records, rcookie = reply_facts(msg)
                name = RCODES.get(rcode, "RCODE%d" % rcode)
                rcodes[name] = rcodes.get(name, 0) + 1
                counts["slipped" if tc and records == 0 else "answered"] += 1
                if cookie is not None and rcookie is not None and rcookie[:8] == cookie[:8]:
                    echoed += 1

    start = time.monotonic()
    for n in range(a.count):
        due = start + n / a.rate
        while True:
            now = time.monotonic()
            if now >= due:
                break
            drain(max(0, int((due - now) * 1000)))
        i = n % a.sockets
        qid = (qid0 + n // a.sockets) & 0xFFFF
        msg = query(qid, a.qname, qtype, bufsize, cookie)
        try:
            socks[i].send(msg)
        except (BlockingIOError, ConnectionRefusedError):
            continue
        outstanding.add((i, qid))
        sent += 1
        bytes_out += len(msg)
        if n % 64 == 63:
            drain(0)
    end = time.monotonic() + a.wait
    while outstanding and time.monotonic() < end:
        drain(max(1, int((end - time.monotonic()) * 1000)))
    result = {
        "sent": sent, "answered": counts["answered"], "slipped": counts["slipped"],
        "dropped": len(outstanding), "bytes_out": bytes_out, "bytes_in": bytes_in,
        "rcodes": rcodes, "cookie_echoed": echoed,
        "amplification": round(bytes_in / bytes_out, 2) if bytes_out else 0.0,
    }
    if a.json:
        json.dump(result, sys.stdout)
        print()
    else:
        print("sent=%d answered=%d slipped=%d dropped=%d bytes_out=%d bytes_in=%d "
              "amplification=%.2f rcodes=%s cookie_echoed=%d"
              % (result["sent"], result["answered"], result["slipped"], result["dropped"],
                 bytes_out, bytes_in, result["amplification"],
                 ",".join("%s:%d" % kv for kv in sorted(rcodes.items())) or "-", echoed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
