#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""hostile.py: hostile DNS clients for the hardening tests (python3 standard library only).

  hostile.py --port P stall [--length N] [--send K] [--trickle SECONDS]
      Starts a TCP message of N bytes, sends only K of them (all at once, or one byte
      every --trickle seconds), then waits. Prints "closed T" (seconds from the first
      byte until the server closed) or "open T" after --wait seconds.
  hostile.py --port P idle [--query]
      Connects and sends nothing (with --query: one query, its answer read, then
      nothing). Prints "closed T" from the last byte exchanged, or "open T".
  hostile.py --port P hold --count N --seconds S
      Opens N TCP connections and holds them silent. Prints "ready N" once all are
      connected, then after S seconds (or when stdin closes) "open K closed M".
  hostile.py --port P noread --seconds S [--qname NAME --qtype TYPE]
      Pipelines queries on one TCP connection for S seconds and never reads an answer.
      Prints "sent BYTES queries Q" and "closed T" (when the server dropped the
      connection) or "open".
  hostile.py --port P storm --seconds S [--rate N] [--idle K] [--stall M]
      For S seconds: N malformed datagrams a second, K silent TCP connections kept open
      (reopened when the server closes them), M new stalled TCP messages a second.
      Bounded: at most K + 2*M connections at once. Prints a summary at the end, or
      when stopped early with SIGTERM.
  hostile.py --port P junk --count N
      Sends N malformed UDP datagrams (short, QR=1, bad names, bad EDNS: the cases of
      tests/conformance.md), without reading answers. Prints "sent N".

Only 127.0.0.1 (or --server) and the given port are ever contacted.
"""

import argparse
import os
import select
import signal
import socket
import struct
import sys
import time

TYPES = {"A": 1, "TXT": 16, "AAAA": 28, "ANY": 255, "SOA": 6}


def wire_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def query(ident, name="www.example.com.", qtype="A"):
    return struct.pack("!HHHHHH", ident & 0xFFFF, 0x0100, 1, 0, 0, 0) + wire_name(name) + \
        struct.pack("!HH", TYPES.get(qtype.upper(), 1), 1)


def connect(args):
    s = socket.create_connection((args.server, args.port), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def wait_close(s, deadline):
    """True when the peer closed (EOF or reset) before the monotonic deadline."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([s], [], [], left)
        if not r:
            return False
        try:
            data = s.recv(65536)
        except (ConnectionResetError, ConnectionAbortedError):
            return True
        if not data:
            return True


def cmd_stall(args):
    s = connect(args)
    msg = query(0x4242)
    msg = msg + b"\x00" * max(0, args.length - len(msg))
    part = (struct.pack("!H", args.length) + msg)[:args.send]
    start = time.monotonic()
    try:
        if args.trickle > 0:
            for i in range(len(part)):
                s.send(part[i:i + 1])
                time.sleep(args.trickle)
        else:
            s.sendall(part)
    except (BrokenPipeError, ConnectionResetError):
        print("closed %.2f" % (time.monotonic() - start))
        return
    closed = wait_close(s, start + args.wait)
    print("%s %.2f" % ("closed" if closed else "open", time.monotonic() - start))


def read_answer(s, deadline):
    buf = b""
    while True:
        if len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
            return True
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            return False
        chunk = s.recv(65536)
        if not chunk:
            return False
        buf += chunk


def cmd_idle(args):
    s = connect(args)
    if args.query:
        m = query(0x4343)
        s.sendall(struct.pack("!H", len(m)) + m)
        if not read_answer(s, time.monotonic() + 2):
            print("noanswer")
            return
    start = time.monotonic()
    closed = wait_close(s, start + args.wait)
    print("%s %.2f" % ("closed" if closed else "open", time.monotonic() - start))


def cmd_hold(args):
    socks = []
    for _ in range(args.count):
        s = socket.create_connection((args.server, args.port), timeout=5)
        s.setblocking(False)
        socks.append(s)
    print("ready %d" % len(socks), flush=True)
    deadline = time.monotonic() + args.seconds
    stdin_open = True
    while time.monotonic() < deadline:
        watch = [sys.stdin] if stdin_open else []
        r, _, _ = select.select(watch, [], [], min(0.2, max(0, deadline - time.monotonic())))
        if r:
            sys.stdin.readline()  # a line or EOF: report now
            break
    closed = 0
    for s in socks:
        try:
            data = s.recv(1)
            if not data:
                closed += 1
        except BlockingIOError:
            pass
        except (ConnectionResetError, ConnectionAbortedError):
            closed += 1
        s.close()
    print("open %d closed %d" % (len(socks) - closed, closed), flush=True)


def cmd_noread(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # A small receive buffer: the server's answers back up into its own socket at once.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((args.server, args.port))
    s.setblocking(False)
    sent = queries = 0
    start = time.monotonic()
    deadline = start + args.seconds
    closed_at = None
    pending = b""
    while time.monotonic() < deadline:
        if not pending:
            m = query(queries, args.qname, args.qtype)
            pending = struct.pack("!H", len(m)) + m
            queries += 1
        try:
            n = s.send(pending)
            sent += n
            pending = pending[n:]
        except BlockingIOError:
            # Our send buffer is full too: the server has stopped reading. A close by
            # the server (a reset, with our data unread) makes the next send fail.
            select.select([], [s], [], 0.05)
        except (BrokenPipeError, ConnectionResetError):
            closed_at = time.monotonic() - start
            break
    print("sent %d queries %d" % (sent, queries), flush=True)
    if closed_at is None:
        # The server closing shows as a reset once our unread data is discarded.
        try:
            s.send(b"\x00")
            time.sleep(0.2)
            s.send(b"\x00")
        except (BrokenPipeError, ConnectionResetError):
            closed_at = time.monotonic() - start
    print("closed %.2f" % closed_at if closed_at is not None else "open", flush=True)


def junk_messages():
    good = query(0x5555)
    hdr = good[:12]
    q = good[12:]
    opt = b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00"
    return [
        b"", good[:5], good[:11],                                   # short: dropped
        struct.pack("!H", 0x5555) + b"\x81\x00" + good[4:],         # QR=1: dropped
        hdr[:4] + b"\x00\x00" + hdr[6:] + q,                        # QDCOUNT 0
        hdr[:4] + b"\x00\x02" + hdr[6:] + q + q,                    # QDCOUNT 2
        hdr + b"\x03www\xc0\x0c\x00\x01\x00\x01",                   # pointer in the qname
        hdr + b"\x40" + b"a" * 64 + b"\x00\x00\x01\x00\x01",        # label 64
        hdr + q[:5],                                                # truncated question
        hdr[:10] + b"\x00\x02" + q + opt + opt,                     # two OPTs
        hdr[:10] + b"\x00\x01" + q + opt[:9] + b"\x00\x09\x00\x03\x00\x09ab",  # option overruns
        struct.pack("!H", 0x5555) + b"\x09\x00" + good[4:],         # opcode 1: NOTIMP
        os.urandom(40),                                             # noise
    ]


def cmd_junk(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    msgs = junk_messages()
    sent = 0
    for i in range(args.count):
        try:
            s.sendto(msgs[i % len(msgs)], (args.server, args.port))
            sent += 1
        except BlockingIOError:
            time.sleep(0.001)
        if i % 100 == 99:
            time.sleep(0.002)  # the loopback queue holds a few hundred datagrams
            try:
                while s.recv(65535):
                    pass
            except (BlockingIOError, ConnectionRefusedError):
                pass
    print("sent %d" % sent)


def cmd_storm(args):
    stop = []
    # SIGTERM ends the storm early and still prints the summary (the soak stops it so).
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.append(signum))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.setblocking(False)
    msgs = junk_messages()
    idle, stalls = [], []  # stalls: (socket, opened at)
    sent = opened = reopened = stalled = 0
    start = time.monotonic()
    tick = start
    while time.monotonic() < start + args.seconds and not stop:
        now = time.monotonic()
        # Datagrams, spread over the second in tenths.
        for i in range(max(1, args.rate // 10)):
            try:
                udp.sendto(msgs[sent % len(msgs)], (args.server, args.port))
                sent += 1
            except (BlockingIOError, ConnectionRefusedError):
                pass
        try:
            while udp.recv(65535):
                pass
        except (BlockingIOError, ConnectionRefusedError):
            pass
        # Silent connections: replace the ones the server closed.
        alive = []
        for s in idle:
            try:
                if s.recv(1) == b"":
                    s.close()
                    continue
            except BlockingIOError:
                pass
            except OSError:
                s.close()
                continue
            alive.append(s)
        idle = alive
        while len(idle) < args.idle:
            try:
                s = socket.create_connection((args.server, args.port), timeout=2)
                s.setblocking(False)
                idle.append(s)
                reopened += 1 if opened >= args.idle else 0
                opened += 1
            except OSError:
                break
        # Stalled messages: a few new ones a second, dropped by us after 2 s at the latest.
        if now >= tick:
            tick = now + 1
            for _ in range(args.stall):
                try:
                    s = socket.create_connection((args.server, args.port), timeout=2)
                    s.sendall(struct.pack("!H", 200) + query(0x7777)[:10])
                    stalls.append((s, now))
                    stalled += 1
                except OSError:
                    pass
        keep = []
        for s, t in stalls:
            if now - t > 2:
                s.close()
            else:
                keep.append((s, t))
        stalls = keep
        time.sleep(0.1)
    print("storm: %d datagrams, %d idle connections (%d reopened after the server closed "
          "them), %d stalled messages" % (sent, opened, reopened, stalled), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--server", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--wait", type=float, default=5.0, help="seconds to wait for the close")
    sub = p.add_subparsers(dest="cmd", required=True)
    st = sub.add_parser("stall")
    st.add_argument("--length", type=int, default=100)
    st.add_argument("--send", type=int, default=12)
    st.add_argument("--trickle", type=float, default=0.0)
    st.set_defaults(fn=cmd_stall)
    idle = sub.add_parser("idle")
    idle.add_argument("--query", action="store_true")
    idle.set_defaults(fn=cmd_idle)
    hold = sub.add_parser("hold")
    hold.add_argument("--count", type=int, default=300)
    hold.add_argument("--seconds", type=float, default=30)
    hold.set_defaults(fn=cmd_hold)
    nr = sub.add_parser("noread")
    nr.add_argument("--seconds", type=float, default=3)
    nr.add_argument("--qname", default="big.example.com.")
    nr.add_argument("--qtype", default="TXT")
    nr.set_defaults(fn=cmd_noread)
    storm = sub.add_parser("storm")
    storm.add_argument("--seconds", type=float, default=60)
    storm.add_argument("--rate", type=int, default=200)
    storm.add_argument("--idle", type=int, default=20)
    storm.add_argument("--stall", type=int, default=3)
    storm.set_defaults(fn=cmd_storm)
    junk = sub.add_parser("junk")
    junk.add_argument("--count", type=int, default=1000)
    junk.set_defaults(fn=cmd_junk)
    args = p.parse_args()
    args.fn(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
