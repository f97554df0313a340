#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""frames.py: crafted Ethernet frames at a DNS server across a veth pair, and what comes back.

  frames.py IFACE SERVER_MAC CASE [PORT]     (run in the client's namespace, as root)
  frames.py --list                           the cases, one a line

Sends CASE's frame (or frames) for "example.com. A" from IFACE to SERVER_MAC (the server
198.51.100.1 and 2001:db8:53::1 on PORT, default 53, the client 198.51.100.2 and
2001:db8:53::2), then two sentinel queries of the same IP version from other ports: a plain
one, which an XDP program answers, and one with IPv4 options (four NOPs) or an IPv6
hop-by-hop header, which an XDP program passes to the kernel, so its socket answers. It
captures on IFACE (AF_PACKET) until both sentinels are answered (3 s at most): every answer
to CASE on either path has arrived by then, since each path keeps the order of the frames
(one RX queue, one socket per IP version: the server runs one worker, and the kernel knows
the client's link address beforehand). Prints one line:

  case=CASE answers=N badsum=B sentinels=S

answers: UDP datagrams from the server's PORT to CASE's source port carrying its DNS ID;
badsum: received answers (case or sentinel) whose UDP checksum is wrong (RFC 768; IPv6 one
of 0, RFC 8200 section 8.1); sentinels: how many of the two were answered. Standard
library only.
"""
import os
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
CLI4, SRV4 = socket.inet_aton("198.51.100.2"), socket.inet_aton("198.51.100.1")
CLI6 = socket.inet_pton(socket.AF_INET6, "2001:db8:53::2")
SRV6 = socket.inet_pton(socket.AF_INET6, "2001:db8:53::1")
QNAME = b"\x07example\x03com\x00"
SENTINEL_XDP, SENTINEL_KERNEL = 0xA001, 0xA002
CASE_ID = 0x5A5A


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def dns_query(qid):
    return struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0) + QNAME + struct.pack("!HH", 1, 1)


def udp(src, dst, sport, dport, payload, v6, length=None, checksum=None):
    """A UDP header and payload; length and checksum as given, else the right ones."""
    ulen = 8 + len(payload) if length is None else length
    hdr = struct.pack("!HHHH", sport, dport, ulen, 0)
    if checksum is None:
        body = hdr + payload
        if v6:
            pseudo = src + dst + struct.pack("!IxxxB", len(body), 17)
        else:
            pseudo = src + dst + struct.pack("!xBH", 17, len(body))
        checksum = csum(pseudo + body) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, ulen, checksum) + payload


def ipv4(payload, ident, ihl=5, options=b"", flags_frag=0, total=None, proto=17, bad_sum=False):
    tot = 20 + len(options) + len(payload) if total is None else total
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot, ident, flags_frag, 64, proto, 0, CLI4, SRV4) + options
    s = csum(hdr)
    if bad_sum:
        s ^= 0x5555
    return hdr[:10] + struct.pack("!H", s) + hdr[12:] + payload


def ipv6(payload, nxt=17, ext=b""):
    return struct.pack("!IHBB16s16s", 0x60000000, len(ext) + len(payload), nxt, 64, CLI6, SRV6) + ext + payload


class Sender:
    def __init__(self, iface, dst_mac, port):
        with open("/sys/class/net/%s/address" % iface) as f:
            self.src_mac = bytes.fromhex(f.read().strip().replace(":", ""))
        self.dst_mac = bytes.fromhex(dst_mac.replace(":", ""))
        self.port = port
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.bind((iface, 0))

    def eth(self, ethertype, payload):
        return self.dst_mac + self.src_mac + struct.pack("!H", ethertype) + payload

    def v4(self, sport, qid=CASE_ID, **kw):
        return self.eth(0x0800, ipv4(udp(CLI4, SRV4, sport, self.port, dns_query(qid), False), qid, **kw))

    def v6(self, sport, qid=CASE_ID):
        return self.eth(0x86DD, ipv6(udp(CLI6, SRV6, sport, self.port, dns_query(qid), True)))


# Each case: (name, what it is, frames(sender, source port) -> list of frames).
def case_frames(s, sp, name):
    q = dns_query(CASE_ID)
    dg4 = udp(CLI4, SRV4, sp, s.port, q, False)
    dg6 = udp(CLI6, SRV6, sp, s.port, q, True)
    nops = b"\x01\x01\x01\x01"
    if name == "good4":
        return [s.v4(sp)]
    if name == "good4-nosum":  # RFC 768: checksum 0 means none was computed
        return [s.eth(0x0800, ipv4(udp(CLI4, SRV4, sp, s.port, q, False, checksum=0), CASE_ID))]
    if name == "good6":
        return [s.v6(sp)]
    if name == "short-ip":  # the IPv4 header cut after 12 bytes
        return [s.v4(sp)[: 14 + 12]]
    if name == "short-udp":  # the IPv4 header says more than the frame holds: cut in the UDP header
        return [s.v4(sp)[: 14 + 20 + 4]]
    if name == "ihl4":  # IHL below 5 (RFC 791 section 3.1: 5 is the least)
        return [s.eth(0x0800, ipv4(dg4, CASE_ID, ihl=4))]
    if name == "ihl6-options":  # four NOP options: the kernel's to handle
        return [s.eth(0x0800, ipv4(dg4, CASE_ID, ihl=6, options=nops))]
    if name == "badipsum4":  # a wrong IPv4 header checksum: the kernel drops it
        return [s.eth(0x0800, ipv4(dg4, CASE_ID, bad_sum=True))]
    if name == "udplen-long":  # UDP length past the IPv4 payload
        return [s.eth(0x0800, ipv4(udp(CLI4, SRV4, sp, s.port, q, False, length=8 + len(q) + 8), CASE_ID))]
    if name == "udplen-short":  # 4 bytes after the datagram inside the IPv4 payload: the kernel trims them
        return [s.eth(0x0800, ipv4(dg4 + b"\0\0\0\0", CASE_ID))]
    if name in ("frag-first", "frag-last", "frag-both"):
        # RFC 791 section 3.2: the first 16 bytes of the datagram (the UDP header and 8
        # bytes of DNS) with MF, the rest at offset 16 / 8 = 2. Each case its own IP ID so
        # that a fragment held for reassembly never joins another case's.
        ident = {"frag-first": 0x1001, "frag-last": 0x1002, "frag-both": 0x1003}[name]
        first = s.eth(0x0800, ipv4(dg4[:16], ident, flags_frag=0x2000, total=20 + 16))
        last = s.eth(0x0800, ipv4(dg4[16:], ident, flags_frag=2, total=20 + len(dg4) - 16))
        return {"frag-first": [first], "frag-last": [last], "frag-both": [first, last]}[name]
    if name == "vlan":  # an 802.1Q tag (VLAN 5), which no interface here takes
        f = s.v4(sp)
        return [f[:12] + struct.pack("!HH", 0x8100, 5) + f[12:]]
    if name == "badsum4":
        good = struct.unpack("!H", dg4[6:8])[0]
        return [s.eth(0x0800, ipv4(dg4[:6] + struct.pack("!H", good ^ 0x0F0F) + dg4[8:], CASE_ID))]
    if name == "badsum6":
        good = struct.unpack("!H", dg6[6:8])[0]
        return [s.eth(0x86DD, ipv6(dg6[:6] + struct.pack("!H", good ^ 0x0F0F) + dg6[8:]))]
    if name == "zerosum6":  # RFC 8200 section 8.1: a zero UDP checksum over IPv6 is discarded
        return [s.eth(0x86DD, ipv6(dg6[:6] + b"\0\0" + dg6[8:]))]
    if name == "hbh6":  # a hop-by-hop options header (PadN): the kernel's to handle
        return [s.eth(0x86DD, ipv6(dg6, nxt=0, ext=bytes([17, 0, 1, 4, 0, 0, 0, 0])))]
    raise SystemExit("frames.py: unknown case %s (--list)" % name)


CASES = ["good4", "good4-nosum", "good6", "short-ip", "short-udp", "ihl4", "ihl6-options",
         "badipsum4", "udplen-long", "udplen-short", "frag-first", "frag-last", "frag-both",
         "vlan", "badsum4", "badsum6", "zerosum6", "hbh6"]


def answer(frame, port):
    """(destination port, DNS ID, checksum right) of a UDP answer from the server's port, or None."""
    et = struct.unpack("!H", frame[12:14])[0]
    if et == 0x0800 and len(frame) >= 34:
        ihl = (frame[14] & 0xF) * 4
        if frame[23] != 17 or frame[26:30] != SRV4 or struct.unpack("!H", frame[20:22])[0] & 0x3FFF:
            return None
        tot = struct.unpack("!H", frame[16:18])[0]
        dg = frame[14 + ihl : 14 + tot]
        src, dst, v6 = frame[26:30], frame[30:34], False
    elif et == 0x86DD and len(frame) >= 54:
        if frame[20] != 17 or frame[22:38] != SRV6:
            return None
        dg = frame[54 : 54 + struct.unpack("!H", frame[18:20])[0]]
        src, dst, v6 = frame[22:38], frame[38:54], True
    else:
        return None
    if len(dg) < 10:
        return None
    sport, dport, ulen, sent = struct.unpack("!HHHH", dg[:8])
    if sport != port:
        return None
    if sent == 0:
        ok = not v6
    else:
        pseudo = src + dst + (struct.pack("!IxxxB", ulen, 17) if v6 else struct.pack("!xBH", 17, ulen))
        ok = csum(pseudo + dg[:ulen]) == 0
    return dport, struct.unpack("!H", dg[8:10])[0], ok


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return 0
    iface, mac, name = sys.argv[1:4]
    port = int(sys.argv[4]) if len(sys.argv) > 4 else 53
    s = Sender(iface, mac, port)
    base = 40000 + os.getpid() % 20000
    sp, sp_xdp, sp_kernel = base, base + 1, base + 2
    frames = case_frames(s, sp, name)
    # The sentinels of the case's family: the kernel hands IPv4 and IPv6 to different sockets.
    if frames and frames[-1][12:14] == b"\x86\xdd":
        frames.append(s.v6(sp_xdp, SENTINEL_XDP))
        frames.append(s.eth(0x86DD, ipv6(udp(CLI6, SRV6, sp_kernel, port, dns_query(SENTINEL_KERNEL), True),
                                         nxt=0, ext=bytes([17, 0, 1, 4, 0, 0, 0, 0]))))
    else:
        frames.append(s.v4(sp_xdp, SENTINEL_XDP))
        frames.append(s.eth(0x0800, ipv4(udp(CLI4, SRV4, sp_kernel, port, dns_query(SENTINEL_KERNEL), False),
                                         SENTINEL_KERNEL, ihl=6, options=b"\x01\x01\x01\x01")))
    for f in frames:
        s.sock.send(f)
    answers = badsum = 0
    seen = set()
    deadline = time.monotonic() + 3
    while len(seen) < 2 and time.monotonic() < deadline:
        s.sock.settimeout(max(0.001, deadline - time.monotonic()))
        try:
            frame, addr = s.sock.recvfrom(65535)
        except socket.timeout:
            break
        if addr[2] == PACKET_OUTGOING:
            continue
        a = answer(frame, port)
        if a is None:
            continue
        dport, qid, ok = a
        if (dport, qid) == (sp, CASE_ID):
            answers += 1
        elif (dport, qid) in ((sp_xdp, SENTINEL_XDP), (sp_kernel, SENTINEL_KERNEL)):
            seen.add(dport)
        else:
            continue
        badsum += not ok
    print("case=%s answers=%d badsum=%d sentinels=%d" % (name, answers, badsum, len(seen)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
