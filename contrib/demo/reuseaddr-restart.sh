#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/reuseaddr-restart.sh: dualnsd restarts at once while its old TCP connections sit in TIME_WAIT (SO_REUSEADDR).
. "$(dirname "$0")/common.sh"

# clients_answered N / time_wait_ge N: at least N clients were answered / N of the server's
# sockets on the port are in TIME_WAIT (for wait_for).
clients_answered() {
	[ "$(grep -c 'connection kept open' "$demo_tmp/clients.out" 2>/dev/null)" -ge "$1" ]
}
time_wait_ge() {
	[ "$(ss -Htan state time-wait "sport = :$port" | wc -l)" -ge "$1" ]
}

port=$(free_port)
say "dualnsd on 127.0.0.1 port $port"
start_dualnsd "$port"

say "Three TCP clients connect, ask, and keep their connections open"
mkfifo "$demo_tmp/go"
"$PYTHON3" - "$port" "$demo_tmp/go" >"$demo_tmp/clients.out" <<'PY' &
import socket, struct, sys
port, go = int(sys.argv[1]), sys.argv[2]
q = struct.pack("!6H", 7, 0, 1, 0, 0, 0) + b"\x03www\x07example\x03com\x00" + struct.pack("!HH", 1, 1)
conns = []
for i in range(3):
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(struct.pack("!H", len(q)) + q)
    n = struct.unpack("!H", c.recv(2))[0]
    c.recv(n)
    print("client %s:%d -> 127.0.0.1:%d answered, connection kept open" % (*c.getsockname(), port), flush=True)
    conns.append(c)
open(go).read()          # wait until the server has been stopped
for c in conns:          # the server closed first; closing now completes the handshake
    c.close()
PY
clients=$!
track_pid "$clients"
wait_for 20 clients_answered 3 || true
sed 's/^/    /' "$demo_tmp/clients.out"

say "Stop dualnsd: it closes first, so its side of each connection goes to TIME_WAIT"
stop_dualnsd
echo done >"$demo_tmp/go"
wait "$clients"
untrack_pid "$clients"
wait_for 20 time_wait_ge 3 || true
run ss -tan state time-wait "sport = :$port"
note "These sockets hold local port $port for 60 s (2 MSL on Linux)."

say "While they are there, a listener without SO_REUSEADDR cannot bind the port"
"$PYTHON3" - "$port" <<'PY'
import socket, sys
port = int(sys.argv[1])
for reuse in (False, True):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
        s.listen()
        print("    bind+listen 127.0.0.1:%d %s SO_REUSEADDR: ok" % (port, "with" if reuse else "without"))
    except OSError as e:
        print("    bind+listen 127.0.0.1:%d %s SO_REUSEADDR: %s" % (port, "with" if reuse else "without", e))
    s.close()
PY

say "Restart dualnsd at once on the same port: it sets SO_REUSEADDR on its TCP listener"
start_dualnsd "$port"
trace @127.0.0.1 -p "$port" www.example.com A +tcp
run ss -tan state time-wait "sport = :$port"
note "The TIME_WAIT sockets are still there; the new listener shares the port with them."
