#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""who.py: ask one TXT name over UDP again and again, count the answers by their text, and the losses.

Used by the scale tests and contrib/demo/reuseport.sh to see which server process
answered: each process serves its own copy of a zone whose TXT record says who it is.

  who.py --port P [--name who.demo.test] (--count N | --seconds S) [--timeout T]
         [--same-socket | --parallel K [--progress FILE]] [--ready FILE] [--until FILE]

Each query goes out from a new UDP socket (a new source port, so the kernel's
SO_REUSEPORT hash picks a server afresh) unless --same-socket; it waits up to --timeout
seconds for the reply and never retries, so a lost query counts as lost.
--parallel K keeps K queries in flight at once (each from its own new socket), enough
load to catch a server that drops what it had queued when it stops.
--ready FILE: write "ready" to FILE after the first answered query (so a test can act
while the loop runs). --until FILE: stop early once FILE exists (the test is done acting).
--progress FILE (with --parallel): after every 50 answered queries, replace FILE by one
line "answered=N", so a test can wait for the loop to have done a given amount of work.
Output, one line each: "sent=N answered=N lost=N", then "TEXT COUNT" per distinct
answer text, most frequent first ("rcode=NAME" for answers without a TXT record).
Exit status 0 unless the arguments are wrong.
"""

import argparse
import os
import random
import selectors
import socket
import struct
import sys
import time

# --progress: how many answers between two updates of the file.
PROGRESS_EVERY = 50
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def build_query(qid, name):
    wire = b"".join(bytes([len(label)]) + label.encode() for label in name.strip(".").split("."))
    return struct.pack("!6H", qid, 0, 1, 0, 0, 0) + wire + b"\x00" + struct.pack("!HH", 16, 1)


def skip_name(msg, off):
    while True:
        n = msg[off]
        if n >= 0xC0:
            return off + 2
        if n == 0:
            return off + 1
        off += n + 1


def answer_text(msg):
    """The first TXT string of the answer section, or rcode=NAME when there is none."""
    _, flags, qd, an, _, _ = struct.unpack("!6H", msg[:12])
    rcode = flags & 0xF
    off = 12
    for _ in range(qd):
        off = skip_name(msg, off) + 4
    for _ in range(an):
        off = skip_name(msg, off)
        rtype, _, _, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
        off += 10
        if rtype == 16 and rdlen > 0:
            return msg[off + 1:off + 1 + msg[off]].decode(errors="replace")
        off += rdlen
    return "rcode=" + RCODES.get(rcode, str(rcode))


def ask(sock, port, name, timeout):
    qid = random.randrange(65536)
    sock.sendto(build_query(qid, name), ("127.0.0.1", port))
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        sock.settimeout(left)
        try:
            msg, peer = sock.recvfrom(65535)
        except socket.timeout:
            return None
        # Only the reply to this query counts (RFC 5452: source, ID).
        if peer[1] == port and len(msg) >= 12 and struct.unpack("!H", msg[:2])[0] == qid:
            return answer_text(msg)


def run_parallel(args, counts):
    """K queries in flight, each on a new socket; returns (sent, lost)."""
    sel = selectors.DefaultSelector()
    sent = lost = 0
    end = time.monotonic() + args.seconds if args.seconds is not None else None

    def more():
        if args.until and os.path.exists(args.until):
            return False
        if args.count is not None:
            return sent < args.count
        return time.monotonic() < end

    def launch():
        nonlocal sent
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setblocking(False)
        qid = random.randrange(65536)
        sock.sendto(build_query(qid, args.name), ("127.0.0.1", args.port))
        sel.register(sock, selectors.EVENT_READ, (qid, time.monotonic() + args.timeout))
        sent += 1

    while more() and len(sel.get_map()) < args.parallel:
        launch()
    while sel.get_map():
        now = time.monotonic()
        for key, _ in sel.select(timeout=0.05):
            qid, _ = key.data
            try:
                msg, peer = key.fileobj.recvfrom(65535)
            except OSError:
                continue
            if peer[1] != args.port or len(msg) < 12 or struct.unpack("!H", msg[:2])[0] != qid:
                continue
            text = answer_text(msg)
            counts[text] = counts.get(text, 0) + 1
            sel.unregister(key.fileobj)
            key.fileobj.close()
            answered = sum(counts.values())
            if args.ready and answered == 1:
                with open(args.ready, "w") as f:
                    f.write("ready\n")
            if args.progress and answered % PROGRESS_EVERY == 0:
                with open(args.progress + ".new", "w") as f:
                    f.write("answered=%d\n" % answered)
                os.replace(args.progress + ".new", args.progress)
            if more():
                launch()
        now = time.monotonic()
        for key in list(sel.get_map().values()):
            if key.data[1] < now:
                lost += 1
                sel.unregister(key.fileobj)
                key.fileobj.close()
                if more():
                    launch()
    return sent, lost


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--name", default="who.demo.test")
    ap.add_argument("--count", type=int)
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--same-socket", action="store_true")
    ap.add_argument("--parallel", type=int, default=0)
    ap.add_argument("--ready")
    ap.add_argument("--until")
    ap.add_argument("--progress")
    args = ap.parse_args()
    if (args.count is None) == (args.seconds is None):
        ap.error("give --count or --seconds")

    counts = {}
    if args.parallel > 0:
        sent, lost = run_parallel(args, counts)
        report(sent, lost, counts)
        return 0
    sent = lost = 0
    shared = socket.socket(socket.AF_INET, socket.SOCK_DGRAM) if args.same_socket else None
    end = time.monotonic() + args.seconds if args.seconds is not None else None
    while ((args.count is not None and sent < args.count) or (end is not None and time.monotonic() < end)) \
            and not (args.until and os.path.exists(args.until)):
        sock = shared or socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            text = ask(sock, args.port, args.name, args.timeout)
        finally:
            if shared is None:
                sock.close()
        sent += 1
        if text is None:
            lost += 1
            continue
        counts[text] = counts.get(text, 0) + 1
        if args.ready and sent - lost == 1:
            with open(args.ready, "w") as f:
                f.write("ready\n")
    report(sent, lost, counts)
    return 0


def report(sent, lost, counts):
    print("sent=%d answered=%d lost=%d" % (sent, sent - lost, lost))
    for text, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print("%s %d" % (text, n))


if __name__ == "__main__":
    sys.exit(main())
