#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/client/verdicts.sh: each misbehaviour of badserver.py fails its verdict and exits 3.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/client/lib.sh"

# verdict_fails MODE RFC [DUALQ OPTIONS...]: the named RFC's verdict fails, exit 3.
verdict_fails() {
	mode=$1
	rfc=$2
	shift 2
	start_badserver "$mode"
	expect_rc 3 "$mode: an answer came, a check failed" "$DUALQ" @127.0.0.1 -p "$port" big.example.com TXT +json "$@"
	json_check "$mode: the $rfc verdict fails" \
		'any(v["rfc"] == "'"$rfc"'" and not v["ok"] for v in d["verdicts"])'
	out_has "$mode: one stderr line names the check" "^dualq: 127\.0\.0\.1 port $port: check failed \($rfc\)" "$tmp/err"
	stop_server
}

# A correct server passes every check.
start_badserver good
expect_rc 0 "good: truncated, retried, every verdict ok" "$DUALQ" @127.0.0.1 -p "$port" big.example.com TXT +json
json_check "good: all verdicts ok" 'd["verdicts"] and all(v["ok"] for v in d["verdicts"])'
stop_server

# Partial RRset without TC (RFC 2181 section 9): counts that claim more than the message holds...
verdict_fails partial "RFC 2181 section 9"
# ...and a consistent message that only comparison over TCP exposes.
verdict_fails partial-counted "RFC 2181 section 9" +compare
start_badserver partial-counted
expect_rc 0 "partial-counted without +compare: one message cannot show it" "$DUALQ" @127.0.0.1 -p "$port" big.example.com TXT
stop_server

# An answer bigger than the advertised size (RFC 6891 section 7), and bigger than 512 without EDNS.
verdict_fails oversize "RFC 6891 section 7"
verdict_fails oversize "RFC 1035 section 4.2.1" +noedns
# A truncated answer to an EDNS query without OPT (RFC 6891 section 7).
verdict_fails noopt "RFC 6891 section 7"
# TC over TCP, answer capped at the UDP size (RFC 8906 section 3.2.7).
verdict_fails tctcp "RFC 8906 section 3.2.7"
# Wrong ID: ignored over UDP (the right one is taken), reported; fatal over TCP (RFC 5452 section 9.1).
verdict_fails wrongid "RFC 5452 section 9.1"
json_check "wrongid: udp ignored the forged ID and took the real reply" \
	'd["legs"][0]["mismatched"] == 1 and d["legs"][0]["tc"]'

# A server that truncates must answer over TCP on the same port (RFC 7766 section 5). Here it
# does not: the TCP port refuses (held, nothing listening), or accepts and stays silent. No
# whole answer came (exit 2); a failed verdict says why, and the JSON has null, never a
# placeholder, for what does not exist.
start_badserver notcp
expect_rc 2 "notcp: truncated over udp, tcp refused" "$DUALQ" @127.0.0.1 -p "$port" big.example.com TXT +json +timeout=1
json_check "notcp: the RFC 7766 section 5 verdict fails and names the refusal" \
	'[l["transport"] for l in d["legs"]] == ["udp", "tcp"] and d["legs"][0]["tc"] is True' \
	'[v["check"] for v in d["verdicts"] if v["rfc"] == "RFC 7766 section 5" and v["leg"] == "tcp" and not v["ok"]] == ["udp answer truncated (TC = 1), but tcp to the same port '"$port"' was refused: nothing listens on tcp there: a server that truncates must answer over tcp"]' \
	'd["legs"][1]["error"] == "connection refused" and d["legs"][1]["tc"] is None' \
	'd["legs"][1]["connect_ms"] is None and d["legs"][1]["rtt_ms"] is None' \
	'd["legs"][1]["remote"] == "127.0.0.1:'"$port"'"' \
	'd["legs"][1]["local"] is None or d["legs"][1]["local"].startswith("127.0.0.1:")' \
	'"?" not in [x for l in d["legs"] for x in l.values()]'
out_has "notcp: one stderr line names the rule" \
	"^dualq: 127\.0\.0\.1 port $port: tcp connect: Connection refused, after a truncated udp answer: a server that truncates must answer over tcp \(RFC 7766 section 5\)\$" "$tmp/err"
expect_rc 2 "notcp: text" "$DUALQ" @127.0.0.1 -p "$port" big.example.com TXT +timeout=1
out_has "notcp: the verdict in the text" \
	"^;;   FAIL  RFC 7766 section 5: udp answer truncated \(TC = 1\), but tcp to the same port $port was refused" 
out_has "notcp: the tcp line" "^;; tcp  (-|127\.0\.0\.1:[0-9]+) -> 127\.0\.0\.1:$port   connect failed: connection refused\$"
# +compare after an answer that fit: TCP is owed all the same.
expect_rc 2 "notcp +compare: tcp refused after a whole udp answer" "$DUALQ" @127.0.0.1 -p "$port" big.example.com TXT +bufsize=8192 +compare +json +timeout=1
json_check "notcp +compare: the RFC 7766 section 5 verdict fails" \
	'd["legs"][0]["tc"] is False and any(v["rfc"] == "RFC 7766 section 5" and not v["ok"] and v["check"].endswith("a DNS server must answer over tcp as well as udp") for v in d["verdicts"])'
stop_server

start_badserver tcpsilent
expect_rc 2 "tcpsilent: truncated over udp, tcp accepted and silent" "$DUALQ" @127.0.0.1 -p "$port" big.example.com TXT +json +timeout=0.3
json_check "tcpsilent: the RFC 7766 section 5 verdict fails after the timeout" \
	'any(v["rfc"] == "RFC 7766 section 5" and not v["ok"] and "was accepted, then no reply came in 300 ms" in v["check"] for v in d["verdicts"])' \
	'd["legs"][1]["error"] == "no reply" and isinstance(d["legs"][1]["connect_ms"], float)' \
	'd["legs"][1]["local"].startswith("127.0.0.1:") and d["legs"][1]["tc"] is None'
out_has "tcpsilent: one stderr line names the rule" \
	"^dualq: 127\.0\.0\.1 port $port: tcp receive: timed out after 300 ms, after a truncated udp answer: .*\(RFC 7766 section 5\)\$" "$tmp/err"
stop_server

# A reply from the wrong source port never reaches the connected socket (RFC 5452 section 9.1):
# dualq sees only the real reply, so every check passes.
start_badserver wrongport
expect_rc 0 "wrongport: the forged datagram is dropped by the kernel" "$DUALQ" @127.0.0.1 -p "$port" www.example.com A +short
out_has "wrongport: the real address, not the forged one" "^192\.0\.2\.80\$"
stop_server

# An ICMP port unreachable that quotes the query but comes before the real reply (a stray or
# forged one: ICMP is unauthenticated, RFC 5927) does not end the try; the trace notes it.
if start_badserver icmp; then
	expect_rc 0 "icmp: the real reply after a port unreachable is taken" "$DUALQ" @127.0.0.1 -p "$port" www.example.com A +json
	json_check "icmp: the ignored port unreachable is counted" \
		'd["legs"][0]["icmp_unreachable"] == 1 and d["answer"][0]["rdata"] == "192.0.2.80"'
	stop_server
else
	echo "skip: icmp: no raw socket here"
fi
finish
