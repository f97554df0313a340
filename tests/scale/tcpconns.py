#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tcpconns.py: hold several DNS-over-TCP connections to 127.0.0.1 and report which the server closed.

  tcpconns.py PORT evict     (for --tcp-max 3 --tcp-idle 60)
  tcpconns.py PORT shrink    (for --tcp-max 4 --tcp-idle 10)
  tcpconns.py PORT stall     (any limits)

Prints key=value lines for the test to assert on:
  evict:  opens and uses connections 1..3 in turn, then a 4th; prints new=answered|... and
          c1..c3=open|closed (open: it still answers a query).
  shrink: keepalive1 (the edns-tcp-keepalive a lone connection is told, 100 ms units),
          then with connections 1..4 open keepalive4; for 2.5 s only connection 4 keeps
          asking (every 0.5 s), the others idle; then a 5th connects; prints new=... and
          c1..c4=open|closed.
  stall:  sends the length and 5 bytes of a message, then nothing; prints
          closed_after=SECONDS (or open after 3 s).
"""

import socket
import struct
import sys
import time

QNAME = b"\x03who\x04demo\x04test\x00"


def query(qid, keepalive=False):
    msg = struct.pack("!6H", qid, 0, 1, 0, 0, 1 if keepalive else 0) + QNAME + struct.pack("!HH", 16, 1)
    if keepalive:
        # OPT with an empty edns-tcp-keepalive option (RFC 7828 section 3.1).
        msg += b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 4) + struct.pack("!HH", 11, 0)
    return struct.pack("!H", len(msg)) + msg


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def ask(sock, qid, keepalive=False):
    """The reply, or None when the connection is closed (or reset, or silent for 2 s)."""
    try:
        sock.settimeout(2)
        sock.sendall(query(qid, keepalive))
        head = read_exact(sock, 2)
        if head is None:
            return None
        return read_exact(sock, struct.unpack("!H", head)[0])
    except OSError:
        return None


def keepalive_of(reply):
    """The TIMEOUT of the edns-tcp-keepalive option in the reply's OPT, or -1."""
    i = reply.find(b"\x00\x0b\x00\x02")
    return struct.unpack("!H", reply[i + 4:i + 6])[0] if i >= 0 else -1


def is_open(sock, qid):
    return "open" if ask(sock, qid) is not None else "closed"


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=2)


def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    if mode == "evict":
        conns = []
        for i in range(3):
            c = connect(port)
            print("c%d_first=%s" % (i + 1, "answered" if ask(c, i) else "none"))
            conns.append(c)
            time.sleep(0.05)   # a clear order of last activity: c1 idles longest
        new = connect(port)
        # The server makes room when it accepts, before it reads the new query: once that
        # is answered, the closes are done.
        print("new=%s" % ("answered" if ask(new, 10) else "none"))
        for i, c in enumerate(conns):
            print("c%d=%s" % (i + 1, is_open(c, 20 + i)))
    elif mode == "shrink":
        conns = [connect(port)]
        print("keepalive1=%d" % keepalive_of(ask(conns[0], 1, keepalive=True) or b""))
        for i in range(2):
            conns.append(connect(port))
            ask(conns[-1], 2 + i)
        conns.append(connect(port))
        print("keepalive4=%d" % keepalive_of(ask(conns[-1], 5, keepalive=True) or b""))
        for i in range(5):
            time.sleep(0.5)
            ask(conns[-1], 6 + i)
        new = connect(port)
        # The server makes room when it accepts, before it reads the new query: once that
        # is answered, the closes are done.
        print("new=%s" % ("answered" if ask(new, 10) else "none"))
        for i, c in enumerate(conns):
            print("c%d=%s" % (i + 1, is_open(c, 20 + i)))
    elif mode == "stall":
        c = connect(port)
        c.sendall(b"\x00\x40" + b"\x12\x34\x00\x00\x00")
        start = time.monotonic()
        c.settimeout(8)  # below the test's --tcp-idle 10, above any stall timeout
        try:
            data = c.recv(10)
            print("closed_after=%.2f" % (time.monotonic() - start) if not data else "data")
        except socket.timeout:
            print("open")
        except OSError:
            print("closed_after=%.2f" % (time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
