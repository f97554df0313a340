#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/sysd/activate.py: bind sockets and exec a daemon with them the way systemd's socket activation does.

    activate.py [--pid-offset N] [--keep FILE] --udp ADDR:PORT --tcp ADDR:PORT ... -- PROGRAM ARGS...

Binds each socket in the order given (UDP, or TCP listening, as a .socket unit's
ListenDatagram= and ListenStream= would, with SO_REUSEADDR like systemd), moves them to
descriptors 3, 4, ... and execs PROGRAM with LISTEN_FDS=<count>, LISTEN_PID=<its pid>
(exec keeps the pid, so that is this process's) and LISTEN_FDNAMES. NOTIFY_SOCKET is
passed through from the environment. --pid-offset N sets LISTEN_PID to the pid plus N,
as for a process the sockets were not meant for. ADDR may be IPv6 in brackets.

--keep FILE: like systemd, keep a copy of the sockets after PROGRAM exits (a child
process holds them), then write to FILE how PROGRAM left each one: "udp peer=none" for
a UDP socket still unconnected, as the next service instance needs it, or the peer it
was connected to; "tcp listening=1".
"""
import os
import socket
import sys


def parse_addr(text):
    host, _, port = text.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        return socket.AF_INET6, host[1:-1], int(port)
    return socket.AF_INET, host, int(port)


def keeper(socks, names, outfile):
    """Forks a child that holds socks until the exec'd program exits, then reports."""
    rfd, wfd = os.pipe()
    if os.fork() == 0:
        os.close(wfd)
        os.read(rfd, 1)  # EOF: every copy of the write end is closed, the program exited
        with open(outfile + ".new", "w") as out:
            for s, name in zip(socks, names):
                if name == "udp":
                    try:
                        peer = s.getpeername()
                    except OSError:
                        peer = "none"
                    out.write(f"udp peer={peer}\n")
                else:
                    listening = s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
                    out.write(f"tcp listening={listening}\n")
        os.rename(outfile + ".new", outfile)
        os._exit(0)
    os.close(rfd)
    os.set_inheritable(wfd, True)  # the program holds it open until it exits


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit(__doc__)
    cut = argv.index("--")
    opts, program = argv[:cut], argv[cut + 1:]
    if not program:
        sys.exit(__doc__)
    socks, names, offset, keep = [], [], 0, None
    i = 0
    while i < len(opts):
        flag, value = opts[i], opts[i + 1]
        i += 2
        if flag == "--pid-offset":
            offset = int(value)
            continue
        if flag == "--keep":
            keep = value
            continue
        if flag not in ("--udp", "--tcp"):
            sys.exit(f"activate.py: unknown option {flag}")
        family, host, port = parse_addr(value)
        kind = socket.SOCK_DGRAM if flag == "--udp" else socket.SOCK_STREAM
        s = socket.socket(family, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((host, port))
        if kind == socket.SOCK_STREAM:
            s.listen(128)
        socks.append(s)
        names.append(flag[2:])
    if keep is not None:
        keeper(socks, names, keep)
    # Move them to 3, 4, ...: first out of the way (a socket may already sit on a target
    # descriptor), then into place, inheritable, as systemd hands them over.
    high = [os.dup(s.fileno()) for s in socks]
    for s in socks:
        s.close()
    for n, fd in enumerate(high):
        os.dup2(fd, 3 + n, inheritable=True)
    for fd in high:
        if fd >= 3 + len(high):
            os.close(fd)
    env = dict(os.environ)
    env["LISTEN_FDS"] = str(len(high))
    env["LISTEN_PID"] = str(os.getpid() + offset)
    env["LISTEN_FDNAMES"] = ":".join(names)
    os.execve(program[0], program, env)


main()
