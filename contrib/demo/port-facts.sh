#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/port-facts.sh: each port-sharing claim as a live experiment on this kernel: claim, what was tried, what happened, and whether the claim holds here.
# Sockets bind 127.0.0.1 on free ports; the wildcard experiments bind 0.0.0.0 on a port just
# found free, for a moment, and send traffic only to 127.0.0.1.
PYTHON3=${PYTHON3:-$(command -v python3)}
[ -n "$PYTHON3" ] || { echo "python3 is needed for the socket experiments" >&2; exit 1; }
echo "kernel: $(uname -sr)"
exec "$PYTHON3" - <<'PY'
import collections
import errno
import os
import select
import socket
import time

LO = "127.0.0.1"
SO_REUSEPORT = getattr(socket, "SO_REUSEPORT", 15)
results = []


def claim(n, text):
    print("\n### %s. Claim: %s" % (n, text))


def tried(text):
    print("    tried: %s" % text)


def kernel(text):
    print("    kernel: %s" % text)


def verdict(holds, text):
    """The conclusion about the claim above: text says what, in the kernel lines, decides it."""
    results.append(holds)
    print("    => the claim %s here: %s" % ("holds" if holds else "does not hold", text))


def free_port():
    """A port free for UDP and TCP on every address (checked on the wildcard)."""
    for _ in range(100):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("0.0.0.0", 0))
        p = u.getsockname()[1]
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            t.bind(("0.0.0.0", p))
            return p
        except OSError:
            pass
        finally:
            t.close()
            u.close()
    raise OSError("no free port")


def sock(kind, reuseaddr=False, reuseport=False):
    s = socket.socket(socket.AF_INET, kind)
    if reuseaddr:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuseport:
        s.setsockopt(socket.SOL_SOCKET, SO_REUSEPORT, 1)
    return s


def attempt(fn):
    """Runs fn; returns "ok" or the errno name."""
    try:
        fn()
        return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e))


def opts(ra, rp):
    o = [n for n, on in (("SO_REUSEADDR", ra), ("SO_REUSEPORT", rp)) if on]
    return "+".join(o) if o else "no options"


# 1. Separate port spaces.
claim(1, "TCP and UDP have separate port spaces: one number, two sockets, no conflict")
p = free_port()
u, t = sock(socket.SOCK_DGRAM), sock(socket.SOCK_STREAM)
tried("bind UDP %s:%d, then bind TCP %s:%d and listen, no socket options" % (LO, p, LO, p))
ru = attempt(lambda: u.bind((LO, p)))
rt = attempt(lambda: (t.bind((LO, p)), t.listen()))
kernel("UDP bind: %s; TCP bind+listen: %s" % (ru, rt))
u2 = sock(socket.SOCK_DGRAM)
r2 = attempt(lambda: u2.bind((LO, p)))
kernel("a second UDP bind on %s:%d (same protocol): %s" % (LO, p, r2))
if ru == rt == "ok" and r2 != "ok":
    verdict(True, "UDP and TCP each got port %d, and only the second UDP socket was refused (%s)"
            % (p, r2))
else:
    verdict(False, "UDP bind %s, TCP bind+listen %s, second UDP bind %s" % (ru, rt, r2))
for s in (u, t, u2):
    s.close()

# 2. TCP client ports and TIME_WAIT.
claim(2, "a client TCP socket's local port is exclusive for its 4-tuple, and TIME_WAIT keeps it busy after close")
srv, srv2 = sock(socket.SOCK_STREAM), sock(socket.SOCK_STREAM)
srv.bind((LO, 0)); srv.listen()
srv2.bind((LO, 0)); srv2.listen()
sp, sp2 = srv.getsockname()[1], srv2.getsockname()[1]
for first_reuse in (False, True):
    c = sock(socket.SOCK_STREAM, reuseaddr=first_reuse)
    c.bind((LO, 0))
    cp = c.getsockname()[1]
    c.connect((LO, sp))
    a, _ = srv.accept()
    c.close()                   # the client closes first: its side enters TIME_WAIT
    time.sleep(0.1)
    a.close()
    time.sleep(0.1)
    tried("client %s:%d -> %s:%d (%s), client closed first: TIME_WAIT on the client side"
          % (LO, cp, LO, sp, opts(first_reuse, False)))
    c2 = sock(socket.SOCK_STREAM)
    r_plain = attempt(lambda: c2.bind((LO, cp)))
    c2.close()
    c3 = sock(socket.SOCK_STREAM, reuseaddr=True)
    r_bind = attempt(lambda: c3.bind((LO, cp)))
    r_same = attempt(lambda: c3.connect((LO, sp))) if r_bind == "ok" else "-"
    c3.close()
    c4 = sock(socket.SOCK_STREAM, reuseaddr=True)
    r_bind4 = attempt(lambda: c4.bind((LO, cp)))
    r_other = attempt(lambda: c4.connect((LO, sp2))) if r_bind4 == "ok" else "-"
    c4.close()
    kernel("new socket, bind %d without options: %s" % (cp, r_plain))
    kernel("with SO_REUSEADDR: bind %s; connect to the same server %s:%d: %s" % (r_bind, LO, sp, r_same))
    kernel("with SO_REUSEADDR: bind %s; connect to another server port %d: %s" % (r_bind4, sp2, r_other))
    if first_reuse and r_same == "ok":
        try:
            with open("/proc/sys/net/ipv4/tcp_tw_reuse") as f:
                tw = f.read().strip()
        except OSError:
            tw = "unknown"
        kernel("net.ipv4.tcp_tw_reuse = %s (2 means loopback only, the default on recent kernels): "
               "connect() may take over a TIME_WAIT 4-tuple when TCP timestamps show the old "
               "segments apart (RFC 7323)" % tw)
    if first_reuse:
        if r_plain != "ok" and r_bind == "ok" and r_same != "ok" and r_other == "ok":
            verdict(True, "with SO_REUSEADDR on both sockets port %d was bound again and reached "
                    "another server, but the same 4-tuple was still busy (%s)" % (cp, r_same))
        elif r_same == "ok":
            verdict(False, "connect() reused the very 4-tuple still in TIME_WAIT "
                    "(see tcp_tw_reuse above): it is not kept busy here")
        else:
            verdict(False, "bind without options %s; with SO_REUSEADDR bind %s, same server %s, "
                    "other server %s" % (r_plain, r_bind, r_same, r_other))
    else:
        if r_plain != "ok" and r_bind != "ok":
            verdict(True, "port %d stayed busy in TIME_WAIT: a new socket's bind got %s without "
                    "options, and %s with SO_REUSEADDR too, since the first socket had not set it"
                    % (cp, r_plain, r_bind))
        else:
            verdict(False, "port %d could be bound again during TIME_WAIT (without options: %s; "
                    "with SO_REUSEADDR: %s)" % (cp, r_plain, r_bind))
srv.close(); srv2.close()

# 3. Connected and unconnected UDP.
claim(3, "an unconnected UDP socket takes datagrams from anyone; a connected one only from its peer")
server, other = sock(socket.SOCK_DGRAM), sock(socket.SOCK_DGRAM)
server.bind((LO, 0)); other.bind((LO, 0))
got = {}
for connected in (False, True):
    cl = sock(socket.SOCK_DGRAM)
    cl.bind((LO, 0))
    if connected:
        cl.connect(server.getsockname())
    other.sendto(b"from-other", cl.getsockname())
    server.sendto(b"from-server", cl.getsockname())
    time.sleep(0.05)
    cl.setblocking(False)
    seen = []
    while True:
        try:
            seen.append(cl.recv(64).decode())
        except BlockingIOError:
            break
    got[connected] = seen
    cl.close()
tried("two senders (the peer %s:%d and another %s:%d) each send one datagram to a client socket"
      % (*server.getsockname(), *other.getsockname()))
kernel("unconnected client received %s" % got[False])
kernel("connected client received %s" % got[True])
if got[False] == ["from-other", "from-server"] and got[True] == ["from-server"]:
    verdict(True, "the unconnected socket took both datagrams, the connected one only its "
            "peer's: connect() makes the kernel filter by source address and port")
else:
    verdict(False, "the unconnected socket took %s, the connected one %s" % (got[False], got[True]))
server.close(); other.close()

# 4. Wildcard and specific listeners.
claim("4a", "SO_REUSEADDR lets a wildcard and a specific-address TCP listener share a port (BSD behaviour)")
for ra, rp in ((True, False), (False, True)):
    p = free_port()
    w, s = sock(socket.SOCK_STREAM, ra, rp), sock(socket.SOCK_STREAM, ra, rp)
    rw = attempt(lambda: (w.bind(("0.0.0.0", p)), w.listen()))
    rb = attempt(lambda: s.bind((LO, p)))
    rl = attempt(lambda: s.listen()) if rb == "ok" else "-"
    tried("both with %s: listen on 0.0.0.0:%d, then bind %s:%d and listen" % (opts(ra, rp), p, LO, p))
    kernel("wildcard: %s; specific bind: %s; specific listen: %s" % (rw, rb, rl))
    who = None
    if rp and rl == "ok":
        c = socket.create_connection((LO, p))
        r, _, _ = select.select([w, s], [], [], 1)
        who = "the specific one (%s)" % LO if s in r else "the wildcard one" if w in r else "none"
        kernel("a connection to %s:%d was queued on %s" % (LO, p, who))
        c.close()
    if rb == "ok" and rl == "ok":
        verdict(True, "with %s both listen on port %d%s"
                % (opts(ra, rp), p, "; connections to %s go to %s" % (LO, who) if who else ""))
    elif rb == "ok":
        verdict(False, "with %s the specific socket binds, but its listen() gets %s while the "
                "wildcard one listens" % (opts(ra, rp), rl))
    else:
        verdict(False, "with %s the specific bind gets %s while the wildcard one listens"
                % (opts(ra, rp), rb))
    w.close(); s.close()

claim("4b", "for UDP, a specific bind beside a wildcard one works, and the specific socket receives")
for ra, rp in ((False, False), (True, False), (False, True)):
    p = free_port()
    w, s = sock(socket.SOCK_DGRAM, ra, rp), sock(socket.SOCK_DGRAM, ra, rp)
    rw = attempt(lambda: w.bind(("0.0.0.0", p)))
    rs = attempt(lambda: s.bind((LO, p)))
    tried("both with %s: bind 0.0.0.0:%d, then %s:%d" % (opts(ra, rp), p, LO, p))
    line = "wildcard: %s; specific: %s" % (rw, rs)
    went = None
    if rs == "ok":
        tx = sock(socket.SOCK_DGRAM)
        tx.sendto(b"x", (LO, p))
        r, _, _ = select.select([w, s], [], [], 1)
        went = "the specific socket" if s in r else "the wildcard socket" if w in r else "nobody"
        line += "; a datagram to %s:%d went to %s" % (LO, p, went)
        tx.close()
    kernel(line)
    if went == "the specific socket":
        verdict(True, "with %s both bind, and the specific socket got the datagram" % opts(ra, rp))
    elif went is not None:
        verdict(False, "with %s both bind, but the datagram went to %s" % (opts(ra, rp), went))
    else:
        verdict(False, "with %s the specific bind gets %s beside the wildcard one"
                % (opts(ra, rp), rs))
    w.close(); s.close()

# 5. SO_REUSEPORT spreads clients by the 4-tuple hash.
claim(5, "SO_REUSEPORT lets several sockets bind one address and port; the kernel spreads clients "
         "by a hash of the 4-tuple, so each client sticks to one socket")
p = free_port()
workers = []
for i in range(4):
    s = sock(socket.SOCK_DGRAM, reuseport=True)
    s.bind((LO, p))
    workers.append(s)
tried("4 UDP sockets with SO_REUSEPORT on %s:%d; 16 clients (16 source ports) send 5 datagrams each" % (LO, p))
clients = [sock(socket.SOCK_DGRAM) for _ in range(16)]
for c in clients:
    c.bind((LO, 0))
seen = collections.defaultdict(set)
for _ in range(5):
    for c in clients:
        c.sendto(b"q", (LO, p))
    time.sleep(0.02)
    for i, w in enumerate(workers):
        w.setblocking(False)
        while True:
            try:
                _, src = w.recvfrom(16)
                seen[src[1]].add(i)
            except BlockingIOError:
                break
per_worker = collections.Counter(next(iter(v)) for v in seen.values() if len(v) == 1)
sticky = all(len(v) == 1 for v in seen.values()) and len(seen) == 16
kernel("every client stayed on one socket: %s" % sticky)
kernel("clients per socket: %s" % ", ".join("socket %d: %d" % (i, per_worker.get(i, 0)) for i in range(4)))
if sticky and len(per_worker) > 1:
    verdict(True, "over UDP each of the 16 clients stayed on one socket, and together they "
            "used %d of the 4" % len(per_worker))
elif sticky:
    verdict(False, "over UDP each client stayed on one socket, but all on the same one")
else:
    verdict(False, "over UDP %d of %d clients moved between sockets"
            % (sum(1 for v in seen.values() if len(v) > 1), len(seen)))
for s in workers + clients:
    s.close()

p = free_port()
listeners = []
for i in range(4):
    s = sock(socket.SOCK_STREAM, reuseport=True)
    s.bind((LO, p))
    s.listen(64)
    listeners.append(s)
tried("4 TCP listeners with SO_REUSEPORT on %s:%d; 16 connections" % (LO, p))
conns = [socket.create_connection((LO, p)) for _ in range(16)]
time.sleep(0.05)
counts = []
for s in listeners:
    s.setblocking(False)
    n = 0
    while True:
        try:
            a, _ = s.accept()
            a.close()
            n += 1
        except BlockingIOError:
            break
    counts.append(n)
kernel("connections per listener: %s" % ", ".join("listener %d: %d" % (i, n) for i, n in enumerate(counts)))
used = sum(1 for n in counts if n)
if sum(counts) == 16 and used > 1:
    verdict(True, "over TCP the 16 connections were spread over %d of the 4 listeners" % used)
else:
    verdict(False, "over TCP %d of 16 connections were accepted, by %d listener(s)"
            % (sum(counts), used))
for s in listeners + conns:
    s.close()

print("\n%d of %d experiments bore their claim out on this kernel (%s %s)."
      % (sum(results), len(results), os.uname().sysname, os.uname().release))
print("Where \"the claim does not hold here\", the kernel lines above it say what happened")
print("instead; several such claims describe BSD behaviour, not Linux.")
PY
