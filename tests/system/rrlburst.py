#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""rrlburst.py: a paced burst of UDP queries from one source address, for the rate
limiting test (tests/system/rrl.sh).

Sends COUNT queries for NAME/TYPE at RATE queries a second from SOURCE to 127.0.0.1#PORT,
each with its own ID, then waits WAIT seconds for late answers, and prints one line:

  sent=2000 answered=180 slipped=910 dropped=910

answered: answers with TC=0; slipped: TC=1 answers without records (the bare form);
dropped: no answer at all. With --edns an OPT record (UDP size 1232) is sent. With --tcp
the COUNT queries go pipelined over one TCP connection from SOURCE instead, unpaced.
"""
import argparse
import select
import socket
import struct
import sys
import time

TYPES = {"A": 1, "NS": 2, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28, "ANY": 255}
FLAG_TC = 0x0200
HEADER = struct.Struct("!HHHHHH")


def query(ident, name, qtype, edns):
    wire = b"".join(bytes([len(label)]) + label.encode() for label in name.strip(".").split(".") if label)
    msg = HEADER.pack(ident, 0, 1, 0, 0, 1 if edns else 0) + wire + b"\0" + struct.pack("!HH", qtype, 1)
    if edns:
        msg += b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0)
    return msg


def tcp_burst(a, qtype):
    s = socket.create_connection(("127.0.0.1", a.port), timeout=5, source_address=(a.source, 0))
    s.sendall(b"".join(struct.pack("!H", len(m)) + m
                       for m in (query(i, a.name, qtype, a.edns) for i in range(a.count))))
    buf, answered, slipped = b"", 0, 0
    deadline = time.monotonic() + 5 + a.wait
    while answered + slipped < a.count and time.monotonic() < deadline:
        try:
            data = s.recv(65535)
        except socket.timeout:
            break
        if not data:
            break
        buf += data
        while len(buf) >= 2 and len(buf) >= 2 + struct.unpack_from("!H", buf)[0]:
            n = struct.unpack_from("!H", buf)[0]
            _, flags, _, an, _, _ = HEADER.unpack_from(buf, 2)
            if flags & FLAG_TC and an == 0:
                slipped += 1
            else:
                answered += 1
            buf = buf[2 + n:]
    s.close()
    print("sent=%d answered=%d slipped=%d dropped=%d" % (a.count, answered, slipped, a.count - answered - slipped))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--source", default="127.0.0.1")
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--rate", type=float, default=1000.0)
    p.add_argument("--name", default="www.example.com.")
    p.add_argument("--type", default="A")
    p.add_argument("--edns", action="store_true")
    p.add_argument("--wait", type=float, default=1.0)
    p.add_argument("--tcp", action="store_true")
    a = p.parse_args()
    qtype = TYPES[a.type.upper()]
    if a.tcp:
        return tcp_burst(a, qtype)

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((a.source, 0))
    s.setblocking(False)
    seen = {}
    start = time.monotonic()

    def drain(until):
        while True:
            left = until - time.monotonic()
            r, _, _ = select.select([s], [], [], max(left, 0))
            if not r:
                if left <= 0:
                    return
                continue
            try:
                data = s.recv(65535)
            except BlockingIOError:
                continue
            if len(data) < HEADER.size:
                continue
            ident, flags, _, an, _, _ = HEADER.unpack_from(data)
            seen[ident] = "slipped" if flags & FLAG_TC and an == 0 else "answered"

    for i in range(a.count):
        s.sendto(query(i, a.name, qtype, a.edns), ("127.0.0.1", a.port))
        drain(start + (i + 1) / a.rate)
    drain(time.monotonic() + a.wait)
    answered = sum(1 for v in seen.values() if v == "answered")
    slipped = sum(1 for v in seen.values() if v == "slipped")
    print("sent=%d answered=%d slipped=%d dropped=%d" % (a.count, answered, slipped, a.count - answered - slipped))
    return 0


if __name__ == "__main__":
    sys.exit(main())
