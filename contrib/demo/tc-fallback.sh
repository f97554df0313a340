#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/tc-fallback.sh: one port, two listeners; a truncated UDP answer and the TCP retry to the same port.
. "$(dirname "$0")/common.sh"

port=$(free_port)
say "dualnsd on 127.0.0.1 port $port, started with --udp-size 8192"
note "--udp-size is the largest UDP answer dualnsd will send (1232 B unless told), and the" \
     "size it writes in the OPT record of every answer. At 8192 a client that advertises" \
     "8192 B can have a 4.5 KB answer over UDP; one that advertises less gets no more."
start_dualnsd "$port" --udp-size 8192

say "One port number, two sockets, no conflict: TCP and UDP have separate port spaces"
run ss -tulnp "sport = :$port"
note "One udp and one tcp line, the same number, both owned by dualnsd."

say "A 4.5 KB answer, dualq advertising its default EDNS size of 1232 B: TC=1, then TCP to the same port"
trace @127.0.0.1 -p "$port" big.example.com TXT
note "Two sizes meet here. \"edns 8192\" on the udp and tcp lines is the server's own OPT:" \
     "its --udp-size (RFC 6891 section 6.2.4). The 1232 in the verdicts is what dualq" \
     "advertised in its query (section 6.2.3). A UDP answer must fit the smaller of the two," \
     "1232 B, and 4.5 KB does not." \
     "So the UDP reply is the header, question and OPT only (RFC 6891 section 7: no partial" \
     "RRsets); the TCP leg is a new connection to the same address and port number, with a new ID."

say "The same query advertising 8192 B: the answer fits, no retry"
trace @127.0.0.1 -p "$port" big.example.com TXT +bufsize=8192
note "Now both sides say 8192, so the 4564 B answer goes in one datagram."

say "A 950 B answer fits the default 1232 ..."
trace @127.0.0.1 -p "$port" medium.example.com TXT
say "... but not the 512 B a query without EDNS allows (RFC 1035 section 4.2.1)"
trace @127.0.0.1 -p "$port" medium.example.com TXT +noedns
