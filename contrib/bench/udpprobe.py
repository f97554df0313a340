#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""udpprobe.py: ask one UDP question every INTERVAL seconds until the file STOP exists (or
LIMIT seconds pass), and print how long the answers took: count, lost, median, 99th
percentile and maximum in milliseconds. For axfr.sh: what a transfer costs the UDP answers
of the server it comes from. Standard library only; 127.0.0.0/8 and ::1 only.

  udpprobe.py PORT QNAME STOP [INTERVAL] [LIMIT]
"""
import os
import random
import socket
import struct
import sys
import time


def query(qname, qid):
    wire = b"".join(bytes([len(label)]) + label.encode() for label in qname.rstrip(".").split("."))
    return struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0) + wire + b"\0" + struct.pack("!HH", 6, 1)


def main():
    port, qname, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.005
    limit = float(sys.argv[5]) if len(sys.argv) > 5 else 600.0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect(("127.0.0.1", port))
    s.settimeout(1.0)
    times, lost, end = [], 0, time.monotonic() + limit
    while not os.path.exists(stop) and time.monotonic() < end:
        qid = random.randrange(65536)
        t0 = time.monotonic()
        s.send(query(qname, qid))
        try:
            while True:
                reply = s.recv(4096)
                if len(reply) >= 2 and struct.unpack("!H", reply[:2])[0] == qid:
                    break
            times.append((time.monotonic() - t0) * 1000)
        except socket.timeout:
            lost += 1
        time.sleep(interval)
    times.sort()
    if not times:
        print("count=0 lost=%d" % lost)
        return
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print("count=%d lost=%d median=%.2f p99=%.2f max=%.2f" % (len(times), lost, pick(0.5), pick(0.99), times[-1]))


if __name__ == "__main__":
    main()
