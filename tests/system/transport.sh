#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# transport.sh: one process, UDP and TCP on one port; TCP framing and pipelining;
# responses are never answered; SIGTERM; a bind on a busy port.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
need_tool ss "apt-get install iproute2"

start_dualnsd "$top_srcdir/zones/example.com.zone" "$top_srcdir/zones/example.net.zone"

# ---- ss: a UDP and a TCP socket on the same address and port, one process.
# TCP and UDP have separate port spaces (RFC 768, RFC 9293): one number, two sockets.
listeners=$(ss -H -tulnp 2>/dev/null | grep -E "[[:space:]]127\.0\.0\.1:$PORT[[:space:]]")
expect_match "ss -tuln: a UDP socket on 127.0.0.1:$PORT (RFC 1035 4.2.1: UDP port 53 role)" "$listeners" '^udp'
expect_match "ss -tuln: a TCP listener on 127.0.0.1:$PORT (RFC 1035 4.2.2, RFC 7766 5)" "$listeners" '^tcp[[:space:]]+LISTEN'
owners=$(printf '%s\n' "$listeners" | grep -o 'pid=[0-9]*' | sort -u | tr '\n' ' ')
expect_eq "ss -tulnp: both sockets owned by the one dualnsd process" "$owners" "pid=$DUALNSD_PID "
expect_eq "ss -tuln: exactly one UDP and one TCP socket on the port" \
	"$(printf '%s\n' "$listeners" | awk '{ print $1 }' | sort | tr '\n' ' ')" "tcp udp "
# A burst must queue in the socket, not be dropped by it: the UDP receive buffer is raised
# to 4 MiB (the kernel reports twice what was set) when the process may (root).
if [ "$(id -u)" = 0 ]; then
	rb=$(ss -H -ulnm "sport = :$PORT" 2>/dev/null | sed -n 's/.*skmem:(r[0-9]*,rb\([0-9]*\),.*/\1/p' | head -n 1)
	expect_ge "the UDP socket's receive buffer is at least 4 MiB" "${rb:-0}" 4194304
fi

# ---- pipelining: several queries in one write on one connection, all answered there
# (RFC 7766 section 6.2.1.1; answers may come in any order, so match them by ID).
r=$(dnsraw --port "$PORT" --tcp --id 100 -q www.example.com/A -q big.example.com/TXT \
	-q nothere.example.com/A -q sub.example.com/A -q www.example.net/AAAA -q example.org/A)
expect_eq "6 pipelined TCP queries: 6 answers on the connection (RFC 7766 6.2.1.1)" \
	"$(printf '%s\n' "$r" | grep -c '^id=')" 6
ids=$(printf '%s\n' "$r" | grep '^id=' | sed 's/^id=\([0-9]*\) .*/\1/' | sort -n | tr '\n' ' ')
expect_eq "pipelined answers carry the IDs 100..105 (RFC 7766 7)" "$ids" "100 101 102 103 104 105 "
line() { printf '%s\n' "$r" | grep "^id=$1 "; }
expect_eq "pipelined #100 www A: NOERROR 1 answer, its own question (RFC 7766 7)" \
	"$(kv rcodename "$(line 100)"):$(kv an "$(line 100)"):$(kv qname "$(line 100)")" "NOERROR:1:www.example.com."
expect_eq "pipelined #101 big TXT: whole RRset over TCP, TC=0 (RFC 7766 8)" \
	"$(kv tc "$(line 101)"):$(kv an "$(line 101)")" "0:40"
expect_eq "pipelined #102 nothere A: NXDOMAIN (RFC 1035 4.1.1)" "$(kv rcodename "$(line 102)")" NXDOMAIN
expect_eq "pipelined #103 sub A: referral, AA=0 (RFC 1034 4.3.2)" \
	"$(kv aa "$(line 103)"):$(kv ns "$(line 103)")" "0:3"
expect_eq "pipelined #104 www.example.net AAAA: second zone (RFC 1034 4.3.2)" "$(kv an "$(line 104)")" 1
expect_eq "pipelined #105 example.org A: REFUSED (RFC 1035 4.1.1)" "$(kv rcodename "$(line 105)")" REFUSED

# Partial writes: the message dribbles in one byte at a time; the server resumes the read
# (RFC 7766 section 8: the length and message may arrive in pieces). A message must be
# whole within TCP_IO_TIMEOUT (0.5 s, src/tcp.h): 1 ms between bytes keeps each of these
# 35-byte messages far inside it even when a loaded machine stretches every sleep.
r=$(dnsraw --port "$PORT" --tcp --chunk 1 --chunk-delay 0.001 -q www.example.com/A -q mail.example.com/A)
expect_eq "TCP query written 1 byte at a time, 2 messages: both answered (RFC 7766 8)" \
	"$(printf '%s\n' "$r" | grep -c 'rcodename=NOERROR')" 2
# Two messages, the second split across writes in the middle of its length prefix.
r=$(dnsraw --port "$PORT" --tcp --chunk 34 --chunk-delay 0.05 -q www.example.com/A -q mail.example.com/A)
expect_eq "TCP length prefix split across writes: both answered (RFC 7766 8)" \
	"$(printf '%s\n' "$r" | grep -c 'rcodename=NOERROR')" 2
# The connection stays open for more after an answer (RFC 7766 6.2.1: the client closes).
r=$(dnsraw --port "$PORT" --tcp --wait-close 1 -q www.example.com/A)
expect_eq "TCP after one answer: the server keeps the connection open (RFC 7766 6.2.1)" \
	"$(printf '%s\n' "$r" | tail -n 1)" open

# ---- TCP length 0 and under 12: close the connection (tests/conformance.md, "TCP"; RFC 1035 4.1.1
# has a 12-byte header, so such a message cannot be a query).
r=$(dnsraw --port "$PORT" --tcp --timeout 3 --tcp-length 0 --cut 0 -q www.example.com/A)
expect_eq "TCP length 0: connection closed, no answer" "$r" closed
r=$(dnsraw --port "$PORT" --tcp --timeout 3 --tcp-length 11 --cut 11 -q www.example.com/A)
expect_eq "TCP length 11: connection closed, no answer" "$r" closed
# A valid query first, then length 0 in the same write: the first is answered, then the close.
r=$(dnsraw --port "$PORT" --tcp --timeout 3 --replies 2 --tcp-length=-1,0 \
	-q www.example.com/A -q mail.example.com/A)
expect_eq "TCP query then length 0: the query is answered, then the connection closed (RFC 7766 8)" \
	"$(printf '%s\n' "$r" | sed 's/^\(id=[0-9]*\) .*rcodename=\([A-Z]*\) .*/\1 \2/' | tr '\n' ' ')" \
	"id=4660 NOERROR closed "

# ---- a response is never answered: QR=1 is dropped over UDP (reflection loops,
# RFC 1035 4.1.1 QR; RFC 5452 9.1 accepts only responses as answers), closed over TCP.
r=$(dnsraw --port "$PORT" --timeout 1 --qr 1 -q www.example.com/A)
expect_eq "UDP datagram with QR=1: dropped, no answer (never answer a response)" "$r" timeout
r=$(dnsraw --port "$PORT" --timeout 1 --qr 1 --rcode 0 --aa 1 -q www.example.com/A --ancount 0)
expect_eq "UDP datagram with QR=1 AA=1: dropped" "$r" timeout
r=$(dnsraw --port "$PORT" --tcp --timeout 3 --qr 1 -q www.example.com/A)
expect_eq "TCP message with QR=1: connection closed without an answer" "$r" closed

# ---- still answering normally after all that.
out=$(qdig "$PORT" www.example.com A)
expect_eq "after the bad input: www A answered over UDP (RFC 1034 4.3.2)" \
	"$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:1
out=$(qdig "$PORT" +tcp www.example.com A)
expect_eq "after the bad input: www A answered over TCP (RFC 7766 5)" \
	"$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:1

# ---- a second server on the same port cannot bind; the message names address and port.
busy_log="$SYS_TMP/busy.log"
timeout 5 "$DUALNSD" -p "$PORT" -l 127.0.0.1 "$top_srcdir/zones/example.net.zone" 2>"$busy_log"
status=$?
expect_ne "dualnsd on a busy port: exits non-zero" "$status" 0
expect_ne "dualnsd on a busy port: exits, does not hang" "$status" 124
expect_match "dualnsd on a busy port: the message names 127.0.0.1 and port $PORT" \
	"$(cat "$busy_log")" "127\\.0\\.0\\.1.*$PORT|$PORT.*127\\.0\\.0\\.1"
expect_match "dualnsd on a busy port: the message says why (address in use)" \
	"$(cat "$busy_log")" '[Ii]n use'
# The first server is unaffected.
out=$(qdig "$PORT" www.example.com A)
expect_eq "the first server still answers after the failed bind" "$(dig_status "$out")" NOERROR

stop_dualnsd

# Only the TCP side busy (another program's listener): dualnsd needs both, so it fails and
# says which address and port.
P2=$(free_port)
"$PYTHON3" -c "
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $P2)); s.listen(1); print('ready', flush=True); time.sleep(120)" >"$SYS_TMP/holder.out" &
holder=$!
track_pid "$holder"
wait_for 20 grep -q ready "$SYS_TMP/holder.out" || fail "the TCP port holder did not start"
timeout 5 "$DUALNSD" -p "$P2" -l 127.0.0.1 "$top_srcdir/zones/example.net.zone" 2>"$busy_log"
status=$?
expect_eq "dualnsd with its TCP port taken: exits with an error, does not hang" \
	"$([ "$status" -ne 0 ] && [ "$status" -ne 124 ] && echo failed || echo "status $status")" failed
expect_match "dualnsd with its TCP port taken: the message names 127.0.0.1 and port $P2" \
	"$(cat "$busy_log")" "127\\.0\\.0\\.1.*$P2|$P2.*127\\.0\\.0\\.1"
kill "$holder" 2>/dev/null
