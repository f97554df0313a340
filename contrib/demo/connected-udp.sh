#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/connected-udp.sh: a forged reply from the wrong source port: a connected UDP socket drops it, an unconnected one takes it.
. "$(dirname "$0")/common.sh"

say "A test server that answers each UDP query twice: first a forged reply from ANOTHER"
note "source port (www.example.com A 192.0.2.66), 50 ms later the real one (192.0.2.80)."
"$PYTHON3" "$top/tests/client/badserver.py" wrongport 2>"$demo_tmp/bad.log" &
track_pid $!
wait_for 20 grep -q "port" "$demo_tmp/bad.log" || { echo "badserver.py did not start" >&2; exit 1; }
sed 's/^/    /' "$demo_tmp/bad.log"
port=$(sed -n 's/.*port \([0-9]*\) (udp+tcp).*/\1/p' "$demo_tmp/bad.log")

say "dualq connects its UDP socket, so the kernel only delivers datagrams from 127.0.0.1:$port"
trace @127.0.0.1 -p "$port" www.example.com A
run "$DUALQ" @127.0.0.1 -p "$port" www.example.com A +short
note "The forged datagram never reached dualq: the kernel dropped it (RFC 5452 section 9.1)."

say "The same query from an unconnected socket (sendto/recvfrom) that takes the first reply"
"$PYTHON3" - "$port" <<'PY'
import socket, struct, sys
port = int(sys.argv[1])
q = struct.pack("!6H", 0x4242, 0, 1, 0, 0, 0) + b"\x03www\x07example\x03com\x00" + struct.pack("!HH", 1, 1)
for connected in (False, True):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    if connected:
        s.connect(("127.0.0.1", port))
        s.send(q)
    else:
        s.sendto(q, ("127.0.0.1", port))
    data, src = s.recvfrom(512)
    addr = ".".join(str(b) for b in data[-4:])
    kind = "connected  " if connected else "unconnected"
    verdict = "FORGED (wrong source port)" if src[1] != port else "real"
    print("    %s socket %s:%d took the reply from %s:%d: A %s  -> %s"
          % (kind, *s.getsockname(), *src, addr, verdict))
    s.close()
PY
note "Same ID, same question: only the source port gives the forgery away, and only a" \
     "connected socket (or a check of recvfrom's address) makes the kernel or the client look."
