#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""badserver.py: a DNS server on 127.0.0.1 (UDP and TCP, one port) that breaks one rule on purpose.

dualq's verdicts must catch each misbehaviour; a correct server never shows them.

usage: badserver.py [--port N] MODE
  good             TC=1 when the answer exceeds the UDP limit, whole answer over TCP
  partial          UDP: answer cut at a record boundary to fit, counts still claim all, TC=0
  partial-counted  UDP: only the records that fit, counts adjusted, TC=0 (RFC 2181 section 9)
  oversize         UDP: the whole answer whatever the advertised size, TC=0 (RFC 6891 section 7)
  noopt            UDP: TC=1 but no OPT record in reply to an EDNS query (RFC 6891 section 7)
  wrongport        UDP: a forged reply from another source port first, then the real one
  wrongid          UDP: a reply with the wrong ID first, then the real one; TCP: wrong ID
  tctcp            TC=1 on UDP and over TCP too, with an empty answer (RFC 8906 section 3.2.7)
  icmp             UDP: an ICMP port unreachable quoting the query first (a raw socket: needs
                   CAP_NET_RAW, else it says so on stderr and exits 77), then the real reply
  silent           receives and never answers
  notcp            UDP as in good; TCP: the port is bound but nothing listens, so every
                   connection is refused (RFC 7766 section 5)
  tcpsilent        UDP as in good; TCP: accepts, reads the query, never answers
  badcookie        UDP: BADCOOKIE to every query, with the client cookie echoed and a new
                   server cookie each time, so the retry fails too (RFC 7873 section 5.3);
                   TCP: the answer, cookie echoed
  wrongcookie      UDP as in good, but the COOKIE returns another client cookie and a
                   4-byte server cookie (RFC 7873 sections 4 and 5.3)
Answers: A queries get 192.0.2.80 (the forged reply says 192.0.2.66); other types get
40 TXT records of 100 characters (about 4.5 KB). With --port 0 a free port is chosen.
Prints "badserver: MODE on 127.0.0.1 port N (udp+tcp)" on stderr once bound.
"""
import argparse
import os
import signal
import socket
import struct
import sys
import threading
import time

MODES = ("good", "partial", "partial-counted", "oversize", "noopt", "wrongport", "wrongid",
         "tctcp", "silent", "icmp", "notcp", "tcpsilent", "badcookie", "wrongcookie")
# Modes whose UDP side is that of a correct server (to queries without a COOKIE, for the cookie modes).
GOOD_UDP = ("good", "notcp", "tcpsilent", "wrongcookie", "badcookie")
QR, AA, TC = 0x8000, 0x0400, 0x0200
COOKIE = 10
BADCOOKIE_LOW, BADCOOKIE_EXT = 7, 1  # RCODE 23: header 7, OPT extended RCODE 1


def parse_query(msg):
    """Returns (id, flags, question bytes, qtype, edns size or None, nsid asked, COOKIE
    option bytes or None) or None."""
    if len(msg) < 12:
        return None
    qid, flags, qd, an, ns, ar = struct.unpack("!6H", msg[:12])
    if flags & QR or qd != 1:
        return None
    off = 12
    while True:
        if off >= len(msg):
            return None
        ln = msg[off]
        off += 1 + ln
        if ln == 0:
            break
        if ln > 63:
            return None
    if off + 4 > len(msg):
        return None
    question = msg[12:off + 4]
    qtype = struct.unpack("!H", msg[off:off + 2])[0]
    off += 4
    edns, nsid, cookie = None, False, None
    if ar >= 1 and off + 11 <= len(msg) and msg[off] == 0 and msg[off + 1:off + 3] == b"\x00\x29":
        edns = struct.unpack("!H", msg[off + 3:off + 5])[0]
        rdlen = struct.unpack("!H", msg[off + 9:off + 11])[0]
        p, end = off + 11, off + 11 + rdlen
        while p + 4 <= end:
            code, olen = struct.unpack("!HH", msg[p:p + 4])
            nsid = nsid or code == 3
            if code == COOKIE and cookie is None:
                cookie = msg[p + 4:p + 4 + olen]
            p += 4 + olen
    return qid, flags, question, qtype, edns, nsid, cookie


def records(qtype, forged=False):
    """Answer records in wire form, owner compressed to the question (offset 12)."""
    if qtype == 1:
        addr = bytes([192, 0, 2, 66 if forged else 80])
        return [b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + addr]
    out = []
    for i in range(40):
        text = ("forged-%02d-" % i if forged else "bad-%02d-" % i).encode()
        text += b"x" * (100 - len(text))
        rdata = bytes([len(text)]) + text
        out.append(b"\xc0\x0c" + struct.pack("!HHIH", 16, 1, 300, len(rdata)) + rdata)
    return out


def server_cookie():
    """An RFC 9018 layout: version 1, reserved, the time, and 8 random bytes."""
    return bytes([1, 0, 0, 0]) + struct.pack("!I", int(time.time())) + os.urandom(8)


def opt_rr(nsid, cookie=None, ext_rcode=0):
    opts = struct.pack("!HH", 3, 9) + b"badserver" if nsid else b""
    if cookie is not None:
        opts += struct.pack("!HH", COOKIE, len(cookie)) + cookie
    return b"\x00" + struct.pack("!HHIH", 41, 1232, ext_rcode << 24, len(opts)) + opts


def build(q, rrs, tc=False, count=None, with_opt=True, qid=None, cookie=None, badcookie=False):
    """A response: header, question, the given records, OPT when the query had one (with
    cookie as its COOKIE option, and BADCOOKIE as the RCODE when asked)."""
    rid, flags, question, qtype, edns, nsid, _ = q
    rflags = QR | (0 if badcookie else AA) | (flags & 0x0100) | (TC if tc else 0)
    rflags |= BADCOOKIE_LOW if badcookie else 0
    add_opt = edns is not None and with_opt
    an = len(rrs) if count is None else count
    hdr = struct.pack("!6H", rid if qid is None else qid, rflags, 1, an, 0, 1 if add_opt else 0)
    opt = opt_rr(nsid, cookie, BADCOOKIE_EXT if badcookie else 0) if add_opt else b""
    return hdr + question + b"".join(rrs) + opt


def udp_limit(q):
    return 512 if q[4] is None else max(512, q[4])


def fitting(q, rrs, limit):
    """The longest prefix of rrs that fits in limit bytes with header, question, OPT."""
    for k in range(len(rrs), -1, -1):
        if len(build(q, rrs[:k])) <= limit:
            return rrs[:k]
    return []


def udp_replies(mode, q):
    """(delay seconds, use the forging socket, bytes) for one UDP query."""
    rrs = records(q[3])
    limit = udp_limit(q)
    full = build(q, rrs)
    if mode == "silent":
        return []
    if mode == "badcookie" and q[6]:
        return [(0, False, build(q, [], cookie=q[6][:8] + server_cookie(), badcookie=True))]
    if mode == "wrongcookie" and q[6]:
        wrong = bytes(b ^ 0xff for b in q[6][:8]) + b"\x01\x02\x03\x04"
        return [(0, False, build(q, rrs, cookie=wrong) if len(full) <= limit else
                 build(q, [], tc=True, cookie=wrong))]
    if mode == "oversize":
        return [(0, False, full)]
    if mode == "tctcp":
        return [(0, False, build(q, [], tc=True))]
    if len(full) <= limit and mode in GOOD_UDP + ("partial", "partial-counted", "noopt"):
        return [(0, False, full)]
    if mode in GOOD_UDP:
        return [(0, False, build(q, [], tc=True))]
    if mode == "noopt":
        return [(0, False, build(q, [], tc=True, with_opt=False))]
    if mode == "partial":
        part = fitting(q, rrs, limit)
        return [(0, False, build(q, part, count=len(rrs)))]
    if mode == "partial-counted":
        return [(0, False, build(q, fitting(q, rrs, limit)))]
    if mode == "wrongport":
        forged = build(q, fitting(q, records(q[3], forged=True), limit))
        real = full if len(full) <= limit else build(q, [], tc=True)
        return [(0, True, forged), (0.05, False, real)]
    if mode == "icmp":
        real = full if len(full) <= limit else build(q, [], tc=True)
        return [(0, "icmp", b""), (0.05, False, real)]
    if mode == "wrongid":
        real = full if len(full) <= limit else build(q, [], tc=True)
        return [(0, False, build(q, fitting(q, rrs, limit), qid=q[0] ^ 0x5555)), (0.02, False, real)]
    return []


def tcp_reply(mode, q):
    rrs = records(q[3])
    if mode in ("silent", "tcpsilent"):
        return None
    if mode == "tctcp":
        return build(q, [], tc=True)
    if mode == "wrongid":
        return build(q, rrs, qid=q[0] ^ 0x5555)
    if mode == "badcookie" and q[6]:
        return build(q, rrs, cookie=q[6][:8] + server_cookie())
    return build(q, rrs)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def port_unreachable(msg, peer, port):
    """ICMP type 3 code 3 quoting the datagram peer sent to 127.0.0.1 port (RFC 792): the
    kernel hands it to the socket that sent it as ECONNREFUSED."""
    udp = struct.pack("!4H", peer[1], port, 8 + len(msg), 0) + msg
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                               socket.inet_aton(peer[0]), socket.inet_aton("127.0.0.1")))
    ip[10:12] = struct.pack("!H", checksum(bytes(ip)))
    body = bytes(ip) + udp
    icmp = bytearray(struct.pack("!BBHI", 3, 3, 0, 0) + body)
    icmp[2:4] = struct.pack("!H", checksum(bytes(icmp)))
    return bytes(icmp)


def serve_udp(sock, forger, raw, mode):
    port = sock.getsockname()[1]
    while True:
        msg, peer = sock.recvfrom(65535)
        q = parse_query(msg)
        if q is None:
            continue
        for delay, forge, data in udp_replies(mode, q):
            if delay:
                time.sleep(delay)
            if forge == "icmp":
                raw.sendto(port_unreachable(msg, peer, port), ("127.0.0.1", 0))
            else:
                (forger if forge else sock).sendto(data, peer)


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def serve_conn(conn, mode):
    conn.settimeout(10)
    try:
        while True:
            hdr = recv_exact(conn, 2)
            if hdr is None:
                return
            msg = recv_exact(conn, struct.unpack("!H", hdr)[0])
            q = parse_query(msg) if msg else None
            if q is None:
                return
            data = tcp_reply(mode, q)
            if data is None:
                time.sleep(30)
                return
            conn.sendall(struct.pack("!H", len(data)) + data)
    except OSError:
        pass
    finally:
        conn.close()


def serve_tcp(sock, mode):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve_conn, args=(conn, mode), daemon=True).start()


def bind_both(port, listen=True):
    """A UDP and a TCP socket on 127.0.0.1 with the same port number. Without listen the
    TCP socket only holds the port: nobody else can listen there, and connections to it
    are refused."""
    for _ in range(50):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", port))
        p = u.getsockname()[1]
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            t.bind(("127.0.0.1", p))
            if listen:
                t.listen(16)
            return u, t, p
        except OSError:
            u.close()
            t.close()
            if port != 0:
                raise
    raise OSError("no free port for udp and tcp")


def main():
    ap = argparse.ArgumentParser(description="DNS test server that misbehaves on purpose")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("mode", choices=MODES)
    args = ap.parse_args()
    udp, tcp, port = bind_both(args.port, listen=args.mode != "notcp")
    forger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    forger.bind(("127.0.0.1", 0))
    raw = None
    if args.mode == "icmp":
        try:
            raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        except OSError as e:
            print("badserver: icmp mode needs a raw socket: %s" % e, file=sys.stderr, flush=True)
            sys.exit(77)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    threading.Thread(target=serve_udp, args=(udp, forger, raw, args.mode), daemon=True).start()
    if args.mode != "notcp":
        threading.Thread(target=serve_tcp, args=(tcp, args.mode), daemon=True).start()
    print("badserver: %s on 127.0.0.1 port %d (udp+tcp), forged replies from port %d"
          % (args.mode, port, forger.getsockname()[1]), file=sys.stderr, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
