#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/sysd/notifyd.py: listen on a datagram socket the way systemd's $NOTIFY_SOCKET does and log every message.

    notifyd.py ADDRESS OUTFILE

ADDRESS is a path, or @name for the abstract namespace. Each datagram becomes one line
of OUTFILE: "pid=<sender pid> " then the message with its newlines as ';' (the sender's
pid comes from SCM_CREDENTIALS, as systemd checks it against the service's main pid).
Writes "listening" to stdout once bound; runs until killed.
"""
import os
import socket
import struct
import sys


def main():
    address, outfile = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    s.bind("\0" + address[1:] if address.startswith("@") else address)
    print("listening", flush=True)
    with open(outfile, "a", buffering=1) as out:
        while True:
            msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
            pid = "?"
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid = str(struct.unpack("iII", data[:12])[0])
            text = msg.decode("utf-8", "replace").strip("\n").replace("\n", ";")
            out.write(f"pid={pid} {text}\n")


main()
