#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""ready.py: waits until a DNS server on 127.0.0.1 answers a query for a name with data.

  ready.py [ADDRESS@]PORT QNAME [TIMEOUT_S [QTYPE]]

ADDRESS (IPv4, 127.0.0.1 by default) is where the server listens: xdp.sh asks across
its namespaces.

Sends "QNAME QTYPE" (A, or SOA) over UDP every 10 ms and stops at the first reply with the same ID,
RCODE NOERROR and at least one answer record (a server still loading the zone answers
SERVFAIL or REFUSED, or nothing). Prints the wall-clock time of that reply in
nanoseconds (time.time_ns(), comparable with `date +%s%N`) and exits 0; exits 1 after
TIMEOUT_S (default 600). A reply that is an error or empty is not the answer: keep polling.

Why not dig: dig cannot wait less than 1 s for a reply, so a server that has bound its
socket but is still loading would make each try cost a second instead of 10 ms.
"""
import os
import socket
import struct
import sys
import time


def main():
    addr, _, port = sys.argv[1].rpartition("@")
    addr, port, qname = addr or "127.0.0.1", int(port), sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 600.0
    qtype = {"A": 1, "SOA": 6}[sys.argv[4] if len(sys.argv) > 4 else "A"]
    qwire = b"".join(bytes([len(l)]) + l.encode() for l in qname.rstrip(".").split(".")) + b"\0"
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((addr, port))
    s.settimeout(0.01)
    deadline = time.monotonic() + timeout
    qid = os.getpid() & 0xFFFF
    while time.monotonic() < deadline:
        qid = (qid + 1) & 0xFFFF
        try:
            s.send(struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0) + qwire + struct.pack("!HH", qtype, 1))
        except OSError:  # ECONNREFUSED from an earlier ICMP: nothing bound yet
            time.sleep(0.01)
            continue
        end = time.monotonic() + 0.01
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                r = s.recv(65535)
            except socket.timeout:
                break
            except OSError:  # ECONNREFUSED: the port is not bound yet
                time.sleep(max(0.0, end - time.monotonic()))
                break
            if len(r) >= 12:
                rid, flags, _, an = struct.unpack("!HHHH", r[:8])
                if rid == qid and flags & 0x8000 and flags & 0xF == 0 and an > 0:
                    print(time.time_ns())
                    return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
