#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/tc-fallback.sh: one port, two listeners; a truncated UDP answer and the TCP retry to the same port.
. "$(dirname "$0")/common.sh"

port=$(free_port)
say "dualnsd on 127.0.0.1 port $port (UDP answers up to 8192 B when the client asks for that much)"
start_dualnsd "$port" --udp-size 8192

say "Fact 1: one port number, two sockets, no conflict: TCP and UDP have separate port spaces"
run ss -tulnp "sport = :$port"
note "One udp and one tcp line, the same number, both owned by dualnsd."

say "A 4.5 KB answer over UDP with the default EDNS size of 1232: TC=1, then TCP to the same port"
trace @127.0.0.1 -p "$port" big.example.com TXT
note "The UDP reply is the header, question and OPT only (RFC 6891 section 7: no partial RRsets);" \
     "the TCP leg is a new connection to the same address and port number, with a new ID."

say "The same query advertising 8192 B: the answer fits, no retry"
trace @127.0.0.1 -p "$port" big.example.com TXT +bufsize=8192

say "A 950 B answer fits the default 1232 ..."
trace @127.0.0.1 -p "$port" medium.example.com TXT
say "... but not the 512 B a query without EDNS allows (RFC 1035 section 4.2.1)"
trace @127.0.0.1 -p "$port" medium.example.com TXT +noedns
