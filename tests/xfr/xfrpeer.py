#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""xfrpeer.py: zone transfer clients that dig will not be: slow, stalled or leaving.

Standard library only. Subcommands (all against 127.0.0.1 PORT):

  axfr PORT ZONE [--rcvbuf N] [--pause-file F] [--close-after N] [--ixfr SERIAL]
      Sends an AXFR (or an IXFR with our SERIAL in the authority section) over TCP and
      reads the messages until the zone's SOA comes again (or alone: an up-to-date IXFR).
      With --pause-file, after the first message it creates F.started and reads nothing
      until F exists: a slow client whose transfer spans a reload.
      With --close-after N it closes after N messages. Prints one line:
        messages=M records=R first=SERIAL last=SERIAL rcode=NAME
      (first and last: the serials of the first and last SOA records; - when none).
  stall PORT ZONE --pause-file F [--rcvbuf N]
      Sends an AXFR and reads nothing: creates F.started, then waits until F exists and
      prints whether the server closed the connection meanwhile ("closed" or "open").
  latency PORT NAME [--count N]
      N queries for NAME/A over UDP and N over TCP, one at a time. Prints
        udp_max_ms=X tcp_max_ms=Y answered=K
"""

import argparse
import os
import socket
import struct
import sys
import time

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP",
          5: "REFUSED", 9: "NOTAUTH"}
DEADLINE = 30.0


def wire_name(text):
    out = b""
    for label in text.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(zone, qtype, ident=0x5151, serial=None):
    ns = 1 if serial is not None else 0
    msg = struct.pack("!HHHHHH", ident, 0, 1, 0, ns, 0)
    msg += wire_name(zone) + struct.pack("!HH", qtype, 1)
    if serial is not None:
        rdata = b"\0\0" + struct.pack("!IIIII", serial, 0, 0, 0, 0)
        msg += b"\xc0\x0c" + struct.pack("!HHIH", 6, 1, 0, len(rdata)) + rdata
    return msg


def skip_name(msg, pos):
    while True:
        c = msg[pos]
        if c & 0xC0 == 0xC0:
            return pos + 2
        if c == 0:
            return pos + 1
        pos += 1 + c


def records(msg):
    """(type, serial or None) of each answer record."""
    qd, an = struct.unpack("!HH", msg[4:8])
    pos = 12
    for _ in range(qd):
        pos = skip_name(msg, pos) + 4
    out = []
    for _ in range(an):
        pos = skip_name(msg, pos)
        rtype, _, _, rdlen = struct.unpack("!HHIH", msg[pos:pos + 10])
        pos += 10
        serial = None
        if rtype == 6:
            p = skip_name(msg, skip_name(msg, pos))
            serial = struct.unpack("!I", msg[p:p + 4])[0]
        out.append((rtype, serial))
        pos += rdlen
    return out


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def connect(port, rcvbuf):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        # Before connect, so the window the server sees stays small.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(DEADLINE)
    sock.connect(("127.0.0.1", port))
    return sock


def wait_file(path):
    end = time.monotonic() + DEADLINE
    while not os.path.exists(path) and time.monotonic() < end:
        time.sleep(0.02)


def cmd_axfr(args):
    sock = connect(args.port, args.rcvbuf)
    q = query(args.zone, 251 if args.ixfr is not None else 252, serial=args.ixfr)
    sock.sendall(struct.pack("!H", len(q)) + q)
    messages, rrs, rcode, soas = 0, 0, "-", []
    try:
        while True:
            length = struct.unpack("!H", recv_exact(sock, 2))[0]
            msg = recv_exact(sock, length)
            messages += 1
            if messages == 1:
                rcode = RCODES.get(msg[3] & 0xF, str(msg[3] & 0xF))
            recs = records(msg)
            rrs += len(recs)
            soas += [s for t, s in recs if t == 6]
            if messages == args.close_after:
                break
            if messages == 1 and args.pause_file:
                open(args.pause_file + ".started", "w").close()
                wait_file(args.pause_file)
            # The end: an error; our SOA alone (an up-to-date IXFR, RFC 1995 section
            # 2); or the SOA again at the end of a message (RFC 5936 section 2.2; an
            # IXFR of the whole zone looks the same, RFC 1995 section 4).
            if rcode != "NOERROR" or (messages == 1 and rrs == 1):
                break
            if len(soas) >= 2 and recs and recs[-1] == (6, soas[0]):
                break
    except (EOFError, ConnectionError, socket.timeout) as e:
        rcode = rcode + "+" + type(e).__name__
    sock.close()
    first = soas[0] if soas else "-"
    last = soas[-1] if soas else "-"
    print("messages=%d records=%d first=%s last=%s rcode=%s" % (messages, rrs, first, last, rcode))


def cmd_stall(args):
    sock = connect(args.port, args.rcvbuf)
    q = query(args.zone, 252)
    sock.sendall(struct.pack("!H", len(q)) + q)
    open(args.pause_file + ".started", "w").close()
    wait_file(args.pause_file)
    # Drain what was queued: the server's FIN or RST comes after it.
    state = "open"
    sock.settimeout(5)
    try:
        while True:
            chunk = sock.recv(1 << 20)
            if not chunk:
                state = "closed"
                break
    except ConnectionError:
        state = "closed"
    except socket.timeout:
        pass
    sock.close()
    print(state)


def cmd_latency(args):
    q = query(args.name, 1)
    udp_max = tcp_max = 0.0
    answered = 0
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(2)
    for i in range(args.count):
        t0 = time.monotonic()
        u.sendto(q, ("127.0.0.1", args.port))
        try:
            u.recvfrom(4096)
            answered += 1
        except socket.timeout:
            pass
        udp_max = max(udp_max, (time.monotonic() - t0) * 1000)
    for i in range(args.count):
        t0 = time.monotonic()
        try:
            s = connect(args.port, 0)
            s.settimeout(2)
            s.sendall(struct.pack("!H", len(q)) + q)
            length = struct.unpack("!H", recv_exact(s, 2))[0]
            recv_exact(s, length)
            s.close()
            answered += 1
        except (EOFError, OSError):
            pass
        tcp_max = max(tcp_max, (time.monotonic() - t0) * 1000)
    print("udp_max_ms=%d tcp_max_ms=%d answered=%d" % (udp_max, tcp_max, answered))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("axfr")
    a.add_argument("port", type=int)
    a.add_argument("zone")
    a.add_argument("--rcvbuf", type=int, default=0)
    a.add_argument("--pause-file")
    a.add_argument("--close-after", type=int, default=0)
    a.add_argument("--ixfr", type=int)
    s = sub.add_parser("stall")
    s.add_argument("port", type=int)
    s.add_argument("zone")
    s.add_argument("--rcvbuf", type=int, default=4096)
    s.add_argument("--pause-file", required=True)
    lat = sub.add_parser("latency")
    lat.add_argument("port", type=int)
    lat.add_argument("name")
    lat.add_argument("--count", type=int, default=10)
    args = ap.parse_args()
    {"axfr": cmd_axfr, "stall": cmd_stall, "latency": cmd_latency}[args.cmd](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
