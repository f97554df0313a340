#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dnsraw.py: build arbitrary DNS messages, send them over UDP or TCP, print the replies.

A test tool (python3 standard library only) for the cases dig will not produce:
odd header fields and counts, raw qname bytes (compression pointers, long labels),
several or malformed OPT records, wrong TCP length prefixes, pipelining and partial
writes.

Each message comes from one -q NAME[/TYPE[/CLASS]] (repeatable: one message each, IDs
--id, --id+1, ...) or from --raw HEX. Over UDP each message is its own datagram; over
TCP they are all written in one write (pipelining) unless --chunk asks for pieces.

Output: one line per reply, in the order received:
  id=N qr=1 opcode=0 aa=1 tc=0 rd=1 ra=0 z=0 ad=0 cd=0 rcode=0 rcodename=NOERROR
  ercode=0 qd=1 an=1 ns=0 ar=0 opt=1 optcount=1 optver=0 optsize=1232 do=0 optflags=0
  optcodes=- size=N qname=www.example.com. qtype=1 qclass=1 anrrs=OWNER/TYPE,... nsrrs=... arrrs=...
  ede=INFO-CODE,... (the Extended DNS Errors of the OPT, RFC 8914; - for none)
(anrrs and friends list the records but the OPT; parse=... when the reply is malformed.)
(`rcode` is the full, extended RCODE when an OPT is present; `ercode` the OPT's upper
8 bits.) Then, when nothing (more) came: "timeout"; when the TCP peer closed: "closed";
with --wait-close, "open" when the connection stayed open. "refused" when nobody
listens. The exit status is 0 unless the arguments are wrong.
"""

import argparse
import select
import socket
import struct
import sys
import time

TYPES = {
    "A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "HINFO": 13, "MX": 15, "TXT": 16,
    "AAAA": 28, "SRV": 33, "NAPTR": 35, "DS": 43, "RRSIG": 46, "NSEC": 47, "DNSKEY": 48,
    "OPT": 41, "SVCB": 64, "HTTPS": 65, "CAA": 257, "IXFR": 251, "AXFR": 252,
    "MAILB": 253, "MAILA": 254, "ANY": 255,
}
CLASSES = {"IN": 1, "CH": 3, "HS": 4, "NONE": 254, "ANY": 255}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP",
          5: "REFUSED", 6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH",
          10: "NOTZONE", 16: "BADVERS", 23: "BADCOOKIE"}
TYPENAMES = {v: k for k, v in TYPES.items()}


def parse_int(text):
    return int(text, 0)


def parse_type(text):
    up = text.upper()
    if up in TYPES:
        return TYPES[up]
    if up.startswith("TYPE"):
        return int(up[4:])
    return int(text, 0)


def parse_class(text):
    up = text.upper()
    if up in CLASSES:
        return CLASSES[up]
    if up.startswith("CLASS"):
        return int(up[5:])
    return int(text, 0)


def encode_name(name):
    """Presentation name to wire (no compression). '.' is the root."""
    if name in (".", ""):
        return b"\x00"
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode("ascii")
        if len(raw) > 255:
            raise ValueError("label too long even for a raw test: %r" % label)
        out += bytes([len(raw)]) + raw
    return out + b"\x00"


def build_opt(args):
    """The OPT RR(s) for the additional section, or b'' without --edns."""
    if not args.edns:
        return b""
    rdata = b""
    for spec in args.edns_opt:
        code, _, data = spec.partition(":")
        payload = bytes.fromhex(data)
        rdata += struct.pack("!HH", parse_int(code), len(payload)) + payload
    rdata += bytes.fromhex(args.edns_rdata_tail)
    rdlen = len(rdata) if args.edns_rdlen is None else args.edns_rdlen
    owner = bytes.fromhex(args.edns_owner_hex) if args.edns_owner_hex else b"\x00"
    ttl = (args.edns_ercode << 24) | (args.edns_version << 16) | (0x8000 if args.do else 0) \
        | (args.edns_flags & 0x7FFF)
    return owner + struct.pack("!HHIH", 41, args.edns_size, ttl, rdlen) + rdata


def build_message(args, ident, qspec):
    flags = (args.qr << 15) | ((args.opcode & 0xF) << 11) | (args.aa << 10) | (args.tc << 9) \
        | (args.rd << 8) | (args.ra << 7) | (args.z << 6) | (args.ad << 5) | (args.cd << 4) \
        | (args.rcode & 0xF)
    question = b""
    qd = 0
    if not args.no_question:
        if args.qname_hex is not None:
            qname = bytes.fromhex(args.qname_hex)
            qtype, qclass = parse_type(args.qtype), parse_class(args.qclass)
        else:
            parts = qspec.split("/")
            qname = encode_name(parts[0])
            qtype = parse_type(parts[1]) if len(parts) > 1 else parse_type(args.qtype)
            qclass = parse_class(parts[2]) if len(parts) > 2 else parse_class(args.qclass)
        question = qname + struct.pack("!HH", qtype, qclass)
        qd = 1
    question = question * args.questions if qd else question
    qd *= args.questions
    opt = build_opt(args)
    opts = opt * args.edns_count
    ar = args.edns_count if opt else 0
    answer = bytes.fromhex(args.answer_hex)
    an = 1 if answer else 0
    counts = [qd, an, 0, ar]
    for i, override in enumerate((args.qdcount, args.ancount, args.nscount, args.arcount)):
        if override is not None:
            counts[i] = override
    header = struct.pack("!HHHHHH", ident & 0xFFFF, flags, *counts)
    msg = header + question + answer + opts + bytes.fromhex(args.append)
    if args.cut is not None:
        msg = msg[:args.cut]
    return msg


# ---------------------------------------------------------------- reply parsing

def read_name(msg, off, depth=0):
    """Return (presentation name with case kept, offset after it in the original place)."""
    labels = []
    end = None
    hops = 0
    while True:
        if off >= len(msg):
            raise ValueError("name runs past the message")
        length = msg[off]
        if length & 0xC0 == 0xC0:
            if off + 1 >= len(msg):
                raise ValueError("pointer runs past the message")
            if end is None:
                end = off + 2
            off = ((length & 0x3F) << 8) | msg[off + 1]
            hops += 1
            if hops > 64:
                raise ValueError("pointer loop")
            continue
        if length & 0xC0:
            raise ValueError("bad label type")
        off += 1
        if length == 0:
            break
        labels.append(msg[off:off + length].decode("latin-1"))
        off += length
    name = ".".join(labels) + "."
    return name, (end if end is not None else off)


def parse_reply(msg):
    fields = {}
    if len(msg) < 12:
        return "short size=%d hex=%s" % (len(msg), msg.hex())
    ident, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
    fields.update(id=ident, qr=flags >> 15, opcode=(flags >> 11) & 0xF, aa=(flags >> 10) & 1,
                  tc=(flags >> 9) & 1, rd=(flags >> 8) & 1, ra=(flags >> 7) & 1,
                  z=(flags >> 6) & 1, ad=(flags >> 5) & 1, cd=(flags >> 4) & 1)
    rcode = flags & 0xF
    ercode = 0
    opt_count = 0
    optver = optsize = do = optflags = "-"
    optcodes = []
    ede = []
    qname = qtype = qclass = "-"
    sections = {"an": [], "ns": [], "ar": []}
    err = None
    off = 12
    try:
        for i in range(qd):
            name, off = read_name(msg, off)
            t, c = struct.unpack("!HH", msg[off:off + 4])
            off += 4
            if i == 0:
                qname, qtype, qclass = name, t, c
        for sec, count in (("an", an), ("ns", ns), ("ar", ar)):
            for _ in range(count):
                name, off = read_name(msg, off)
                if off + 10 > len(msg):
                    raise ValueError("RR header runs past the message")
                t, c, ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
                off += 10
                rdata = msg[off:off + rdlen]
                if len(rdata) != rdlen:
                    raise ValueError("RDATA runs past the message")
                off += rdlen
                if t == 41:
                    opt_count += 1
                    ercode = ttl >> 24
                    optver = (ttl >> 16) & 0xFF
                    do = (ttl >> 15) & 1
                    optflags = ttl & 0x7FFF
                    optsize = c
                    p = 0
                    while p + 4 <= len(rdata):
                        code, olen = struct.unpack("!HH", rdata[p:p + 4])
                        optcodes.append(str(code))
                        if code == 15 and olen >= 2:
                            ede.append(str(struct.unpack("!H", rdata[p + 4:p + 6])[0]))
                        p += 4 + olen
                    continue
                sections[sec].append("%s/%s" % (name, TYPENAMES.get(t, "TYPE%d" % t)))
        if off != len(msg):
            err = "trailing-%d" % (len(msg) - off)
    except (ValueError, struct.error) as exc:
        err = str(exc).replace(" ", "-")
    full = rcode | (ercode << 4)
    fields.update(rcode=full, rcodename=RCODES.get(full, "RCODE%d" % full), ercode=ercode,
                  qd=qd, an=an, ns=ns, ar=ar, opt=1 if opt_count else 0, optcount=opt_count,
                  optver=optver, optsize=optsize, do=do, optflags=optflags,
                  optcodes=",".join(optcodes) or "-", size=len(msg), qname=qname,
                  qtype=qtype, qclass=qclass)
    for sec in ("an", "ns", "ar"):
        fields[sec + "rrs"] = ",".join(sections[sec]) or "-"
    fields["ede"] = ",".join(ede) or "-"
    if err:
        fields["parse"] = err
    return " ".join("%s=%s" % (k, v) for k, v in fields.items())


# ---------------------------------------------------------------- transports

def run_udp(args, messages):
    out = []
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((args.server, args.port))
    for msg in messages:
        try:
            s.send(msg)
        except ConnectionRefusedError:
            out.append("refused")
            return out
    want = len(messages) if args.replies is None else args.replies
    deadline = time.monotonic() + args.timeout
    got = 0
    while got < want:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            out.append("timeout")
            break
        try:
            data = s.recv(65535)
        except ConnectionRefusedError:
            out.append("refused")
            break
        out.append(parse_reply(data))
        got += 1
    s.close()
    return out


def recv_exact(s, n, deadline):
    buf = b""
    while len(buf) < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            return buf, "timeout"
        try:
            chunk = s.recv(n - len(buf))
        except ConnectionResetError:
            return buf, "closed"
        if not chunk:
            return buf, "closed"
        buf += chunk
    return buf, None


def run_tcp(args, messages):
    out = []
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(args.timeout)
    try:
        s.connect((args.server, args.port))
    except (ConnectionRefusedError, socket.timeout):
        return ["refused"]
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.settimeout(None)
    stream = b""
    overrides = [] if args.tcp_length is None else [parse_int(x) for x in args.tcp_length.split(",")]
    for i, msg in enumerate(messages):
        # One value overrides every prefix; a list gives one per message ("-" keeps it).
        over = overrides[0] if len(overrides) == 1 else (overrides[i] if i < len(overrides) else None)
        length = len(msg) if over is None or over < 0 else over
        stream += struct.pack("!H", length & 0xFFFF) + msg
    try:
        if args.chunk:
            for i in range(0, len(stream), args.chunk):
                s.sendall(stream[i:i + args.chunk])
                time.sleep(args.chunk_delay)
        else:
            s.sendall(stream)
    except (BrokenPipeError, ConnectionResetError):
        out.append("closed")
        return out
    want = len(messages) if args.replies is None else args.replies
    deadline = time.monotonic() + args.timeout
    for _ in range(want):
        head, why = recv_exact(s, 2, deadline)
        if why:
            out.append(why)
            s.close()
            return out
        (length,) = struct.unpack("!H", head)
        body, why = recv_exact(s, length, deadline)
        if why:
            out.append("partial-%d-of-%d" % (len(body), length))
            out.append(why)
            s.close()
            return out
        out.append(parse_reply(body))
    if args.wait_close:
        extra, why = recv_exact(s, 1, time.monotonic() + args.wait_close)
        out.append("open" if why == "timeout" else (why or "data"))
    s.close()
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--server", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--tcp", action="store_true", help="use TCP (default UDP)")
    p.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for replies")
    p.add_argument("--replies", type=int, help="replies to wait for (default: one per message)")
    p.add_argument("-q", "--query", action="append", default=[],
                   help="NAME[/TYPE[/CLASS]]: one message (repeatable)")
    p.add_argument("--raw", action="append", default=[], help="HEX: send these exact bytes")
    p.add_argument("--id", type=parse_int, default=0x1234)
    for flag in ("qr", "aa", "tc", "rd", "ra", "z", "ad", "cd"):
        p.add_argument("--" + flag, type=int, default=0, choices=(0, 1))
    p.add_argument("--opcode", type=parse_int, default=0)
    p.add_argument("--rcode", type=parse_int, default=0, help="header RCODE bits of the query")
    p.add_argument("--qtype", default="A")
    p.add_argument("--qclass", default="IN")
    p.add_argument("--qname-hex", help="raw qname bytes (overrides the -q name)")
    p.add_argument("--no-question", action="store_true")
    p.add_argument("--questions", type=int, default=1, help="repeat the question N times")
    p.add_argument("--qdcount", type=parse_int)
    p.add_argument("--ancount", type=parse_int)
    p.add_argument("--nscount", type=parse_int)
    p.add_argument("--arcount", type=parse_int)
    p.add_argument("--answer-hex", default="", help="raw RR bytes for the answer section")
    p.add_argument("--append", default="", help="HEX appended after the message")
    p.add_argument("--cut", type=int, help="truncate the message to N bytes")
    p.add_argument("--edns", action="store_true", help="add an OPT record")
    p.add_argument("--edns-size", type=parse_int, default=1232)
    p.add_argument("--edns-version", type=parse_int, default=0)
    p.add_argument("--edns-ercode", type=parse_int, default=0)
    p.add_argument("--edns-flags", type=parse_int, default=0, help="the Z bits below DO")
    p.add_argument("--do", action="store_true")
    p.add_argument("--edns-opt", action="append", default=[], help="CODE:HEX (repeatable)")
    p.add_argument("--edns-rdata-tail", default="", help="HEX after the options")
    p.add_argument("--edns-rdlen", type=parse_int, help="override the OPT RDLENGTH")
    p.add_argument("--edns-owner-hex", help="OPT owner name bytes (default 00, the root)")
    p.add_argument("--edns-count", type=int, default=1, help="how many OPT records")
    p.add_argument("--tcp-length",
                   help="N: every TCP length prefix is N; N1,N2,...: one per message (-1 keeps it)")
    p.add_argument("--chunk", type=int, default=0, help="TCP: write N bytes at a time")
    p.add_argument("--chunk-delay", type=float, default=0.05)
    p.add_argument("--wait-close", type=float, default=0.0,
                   help="TCP: after the replies, wait this long for the server to close")
    p.add_argument("--hex", action="store_true", help="print the messages sent, in hex")
    p.add_argument("--dry", action="store_true", help="with --hex: build, print, send nothing")
    args = p.parse_args()

    messages = [bytes.fromhex(h) for h in args.raw]
    for i, q in enumerate(args.query or ([] if args.raw else ["."])):
        messages.append(build_message(args, args.id + i, q))
    if args.hex:
        for m in messages:
            print("sent=%s" % m.hex())
    if args.dry:
        return 0
    lines = run_tcp(args, messages) if args.tcp else run_udp(args, messages)
    for line in lines:
        print(line)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
