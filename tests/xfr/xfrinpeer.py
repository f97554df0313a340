#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""xfrinpeer.py: a primary that misbehaves on purpose, for tests/xfr/xfrin.sh and
tests/xfr/secfaults.sh.

Standard library only. Serves a small zone (SOA, NS, A records; v.ORIGIN A 192.0.2.X
with X the serial modulo 250) on 127.0.0.1 PORT over UDP and TCP:

  xfrinpeer.py PORT ORIGIN SERIAL --mode MODE --ready FILE --log FILE [--upstream PORT]
               [--timers REFRESH,RETRY,EXPIRE] [--records N] [--key NAME]

--timers sets the SOA's (default 3600,600,604800); --records adds N A records
(bulk0..bulkN-1), sent many to a message; --key names the TSIG key of bad-tsig.
MODE is one of
  serve       a correct primary: an IXFR from SERIAL - 1 gets the difference (v's address
              replaced), any other IXFR and every AXFR the whole zone
  ixfr-bad-start  an IXFR gets a difference that starts at a serial the client does not
              have (SERIAL + 99)
  no-last-soa the AXFR ends without its final SOA, then the connection is closed
  bad-tsig    every answer carries a TSIG record of --key whose MAC is wrong
  tc          SOA queries over UDP get TC=1 and no records (the client must ask over TCP)
  refuse-ixfr IXFR gets REFUSED; AXFR is served (the client must fall back to AXFR)
  close       the AXFR stops after its first message: the connection is closed
  stall       the AXFR request is read and never answered
  unsigned-xfr  SOA queries go to the primary at --upstream PORT (whose answer is signed
              when the query was); the AXFR is answered here, unsigned
  tamper      SOA queries and transfers go to --upstream PORT; every transfer message
              comes back with its AA bit flipped, which breaks its TSIG MAC
Creates FILE once both sockets are bound; appends "udp|tcp QTYPE" to LOG per query.
The AXFR goes two records per message. Runs until killed.
"""

import argparse
import socket
import struct
import threading
import time

TYPES = {1: "A", 2: "NS", 6: "SOA", 251: "IXFR", 252: "AXFR"}


def wire_name(text):
    out = b""
    for label in text.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rr(owner, rtype, rdata, ttl=300):
    return wire_name(owner) + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def soa_record(origin, serial, timers):
    return rr(origin, 6, wire_name("ns." + origin) + wire_name("h." + origin) +
              struct.pack("!IIIII", serial, *timers, 300), 3600)


def v_record(origin, serial):
    return rr("v." + origin, 1, bytes([192, 0, 2, serial % 250]))


def zone_records(origin, serial, timers=(3600, 600, 604800), records=0):
    soa = soa_record(origin, serial, timers)
    body = [rr(origin, 2, wire_name("ns." + origin)),
            rr("ns." + origin, 1, bytes([192, 0, 2, 1])), v_record(origin, serial)]
    body += [rr("h%d.%s" % (i, origin), 1, bytes([192, 0, 2, 10 + i])) for i in range(4)]
    body += [rr("bulk%d.%s" % (i, origin), 1, struct.pack("!I", 0x0a000000 + i))
             for i in range(records)]
    return soa, body


def tsig_record(key, qid):
    """A TSIG record (RFC 8945 section 4.2) of key with a MAC that cannot verify."""
    rdata = (wire_name("hmac-sha256.") + struct.pack("!HIH", 0, int(time.time()), 300) +
             struct.pack("!H", 32) + b"\xaa" * 32 + struct.pack("!HHH", qid, 0, 0))
    return wire_name(key) + struct.pack("!HHIH", 250, 255, 0, len(rdata)) + rdata


def parse_query(msg):
    """Returns (id, question bytes, qtype) of a query with one uncompressed question."""
    qid = struct.unpack("!H", msg[:2])[0]
    at = 12
    while msg[at] != 0:
        at += msg[at] + 1
    at += 1
    qtype = struct.unpack("!H", msg[at:at + 2])[0]
    return qid, msg[12:at + 4], qtype


def message(qid, question, records, rcode=0, tc=False, additional=()):
    flags = 0x8400 | rcode | (0x0200 if tc else 0)
    qd = 1 if question else 0
    head = struct.pack("!HHHHHH", qid, flags, qd, len(records), 0, len(additional))
    return head + (question or b"") + b"".join(records) + b"".join(additional)


def ixfr_serial(msg):
    """The serial of the client's SOA in an IXFR request without additional records (its
    last 20 bytes are SERIAL REFRESH RETRY EXPIRE MINIMUM), or None."""
    if struct.unpack("!H", msg[10:12])[0] != 0:
        return None
    return struct.unpack("!I", msg[-20:-16])[0]


class Peer:
    def __init__(self, args):
        self.args = args
        self.timers = tuple(int(t) for t in args.timers.split(","))
        self.soa, self.body = zone_records(args.origin, args.serial, self.timers, args.records)
        self.lock = threading.Lock()

    def log(self, line):
        with self.lock, open(self.args.log, "a") as f:
            f.write(line + "\n")

    def udp(self, sock):
        dropped = 0
        while True:
            msg, peer = sock.recvfrom(65535)
            qid, question, qtype = parse_query(msg)
            self.log("udp " + TYPES.get(qtype, str(qtype)))
            if dropped < self.args.drop_udp:
                dropped += 1  # as if the datagram were lost on the way
            elif self.args.upstream:
                sock.sendto(self.relay_udp(msg), peer)
            elif self.args.mode == "tc":
                sock.sendto(message(qid, question, [], tc=True), peer)
            else:
                sock.sendto(self.answer(qid, question, [self.soa]), peer)

    def answer(self, qid, question, records, rcode=0):
        extra = [tsig_record(self.args.key, qid)] if self.args.mode == "bad-tsig" else []
        return message(qid, question, records, rcode, additional=extra)

    def difference(self, start):
        """An IXFR answer (RFC 1995 section 4) from serial start: v's address replaced."""
        a = self.args
        old = soa_record(a.origin, start, self.timers)
        return [self.soa, old, v_record(a.origin, start), self.soa, v_record(a.origin, a.serial),
                self.soa]

    def relay_udp(self, msg):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(5)
        s.connect(("127.0.0.1", self.args.upstream))
        s.send(msg)
        try:
            return s.recv(65535)
        finally:
            s.close()

    def relay_tcp(self, conn, first):
        """Sends the request to the upstream and each answer back with AA flipped."""
        up = socket.create_connection(("127.0.0.1", self.args.upstream), timeout=5)
        up.sendall(struct.pack("!H", len(first)) + first)
        try:
            while True:
                head = up.recv(2, socket.MSG_WAITALL)
                if len(head) < 2:
                    return
                msg = bytearray(up.recv(struct.unpack("!H", head)[0], socket.MSG_WAITALL))
                msg[2] ^= 0x04
                conn.sendall(head + bytes(msg))
        except OSError:
            return
        finally:
            up.close()

    def tcp_conn(self, conn):
        def send(m):
            conn.sendall(struct.pack("!H", len(m)) + m)
        try:
            while True:
                head = conn.recv(2, socket.MSG_WAITALL)
                if len(head) < 2:
                    return
                msg = conn.recv(struct.unpack("!H", head)[0], socket.MSG_WAITALL)
                qid, question, qtype = parse_query(msg)
                self.log("tcp " + TYPES.get(qtype, str(qtype)))
                if self.args.mode == "tamper":
                    self.relay_tcp(conn, msg)
                    return
                mode = self.args.mode
                if qtype == 6:
                    send(self.answer(qid, question, [self.soa]))
                    continue
                if qtype == 251 and mode == "refuse-ixfr":
                    send(message(qid, question, [], rcode=5))
                    continue
                if mode == "stall":
                    time.sleep(3600)
                    continue
                recs = [self.soa] + self.body + [self.soa]
                if qtype == 251 and mode == "ixfr-bad-start":
                    recs = self.difference(self.args.serial + 99)
                elif qtype == 251 and mode == "serve" and \
                        ixfr_serial(msg) == self.args.serial - 1:
                    recs = self.difference(self.args.serial - 1)
                elif mode == "no-last-soa":
                    recs = recs[:-1]
                per = 500 if self.args.records else 2
                for i in range(0, len(recs), per):
                    send(self.answer(qid, question if i == 0 else None, recs[i:i + per]))
                    if mode == "close":
                        return
                if mode == "no-last-soa":
                    return
        finally:
            conn.close()

    def tcp(self, sock):
        while True:
            conn, _ = sock.accept()
            threading.Thread(target=self.tcp_conn, args=(conn,), daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("origin")
    ap.add_argument("serial", type=int)
    ap.add_argument("--mode", required=True, choices=["tc", "refuse-ixfr", "close", "stall",
                                                     "unsigned-xfr", "tamper", "serve",
                                                     "ixfr-bad-start", "no-last-soa",
                                                     "bad-tsig"])
    ap.add_argument("--timers", default="3600,600,604800")
    ap.add_argument("--records", type=int, default=0)
    ap.add_argument("--drop-udp", type=int, default=0,
                    help="leave the first N queries over UDP unanswered")
    ap.add_argument("--key", default="key.")
    ap.add_argument("--upstream", type=int)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", args.port))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("127.0.0.1", args.port))
    t.listen(8)
    peer = Peer(args)
    threading.Thread(target=peer.udp, args=(u,), daemon=True).start()
    open(args.ready, "w").close()
    peer.tcp(t)


if __name__ == "__main__":
    main()
