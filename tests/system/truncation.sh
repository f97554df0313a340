#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# truncation.sh: UDP size limits, TC and the client's fallback to TCP on the same port.
# big.example.com TXT (40 records, ~4.5 KB) needs TCP; medium.example.com TXT (8 records,
# ~950 bytes) fits 1232 with EDNS but not 512 without it.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
need_tool kdig "apt-get install knot-dnsutils"

start_dualnsd "$top_srcdir/zones/example.com.zone" "$top_srcdir/zones/example.net.zone"

# ---- dig +ignore shows the truncated UDP answer itself.
out=$(qdig "$PORT" +ignore big.example.com TXT)
expect_eq "dig +ignore big TXT: TC=1, 4.5 KB does not fit 1232 (RFC 1035 4.2.1, RFC 6891 7)" \
	"$(dig_flag "$out" tc)" 1
expect_eq "dig +ignore big TXT: no partial RRset, answer empty (RFC 2181 9, RFC 6891 7)" \
	"$(dig_count "$out" ANSWER)" 0
expect_eq "dig +ignore big TXT: still NOERROR and AA=1 (RFC 1035 4.1.1)" \
	"$(dig_status "$out"):$(dig_flag "$out" aa)" NOERROR:1
expect_eq "dig +ignore big TXT: the OPT is kept in a truncated answer (RFC 6891 7)" \
	"$(dig_has_opt "$out")" 1
expect_match "dig +ignore big TXT: the answer came over UDP" "$out" 'SERVER: 127\.0\.0\.1#[0-9]+\(127\.0\.0\.1\) \(UDP\)'

# ---- plain dig retries over TCP on the same port and gets all 40 records.
out=$(qdig "$PORT" big.example.com TXT)
expect_match "dig big TXT: dig saw TC and retried over TCP (RFC 1035 4.2.2, RFC 7766 5)" "$out" \
	'Truncated, retrying in TCP mode'
expect_match "dig big TXT: the final answer came over TCP on the same port (RFC 7766 5)" "$out" \
	"SERVER: 127\\.0\\.0\\.1#$PORT\\(127\\.0\\.0\\.1\\) \\(TCP\\)"
expect_eq "dig big TXT: TC=0 over TCP (RFC 8906 3.2.7)" "$(dig_flag "$out" tc)" 0
expect_eq "dig big TXT: all 40 records over TCP (RFC 7766 5)" "$(dig_count "$out" ANSWER)" 40
expect_eq "dig big TXT: 40 distinct records big-00..big-39 (RFC 2181 5: the whole RRset)" \
	"$(dig_rrs "$out" ANSWER | grep -o 'big-[0-9][0-9]' | sort -u | wc -l | tr -d ' ')" 40

# kdig falls back too (+ignore off by default).
out=$(qkdig "$PORT" big.example.com TXT)
expect_eq "kdig big TXT: all 40 records after the TCP retry (RFC 7766 5)" "$(dig_count "$out" ANSWER)" 40
expect_match "kdig big TXT: answered over TCP" "$out" "127\\.0\\.0\\.1@$PORT\\(TCP\\)"
out=$(qkdig "$PORT" +ignore big.example.com TXT)
expect_eq "kdig +ignore big TXT: TC=1 (RFC 1035 4.2.1)" "$(dig_flag "$out" tc)" 1

# TCP is never truncated and never capped at the UDP size, with or without EDNS
# (RFC 8906 section 3.2.7, RFC 7766 section 8).
out=$(qdig "$PORT" +tcp +noedns big.example.com TXT)
expect_eq "dig +tcp +noedns big TXT: TC=0 and 40 records (RFC 8906 3.2.7)" \
	"$(dig_flag "$out" tc):$(dig_count "$out" ANSWER)" 0:40

# ---- medium: fits 1232 with EDNS, not 512 without.
out=$(qdig "$PORT" +ignore +bufsize=1232 medium.example.com TXT)
expect_eq "dig +bufsize=1232 medium TXT: fits, TC=0 (RFC 6891 6.2.5)" "$(dig_flag "$out" tc)" 0
expect_eq "dig +bufsize=1232 medium TXT: all 8 records (RFC 6891 6.2.5)" "$(dig_count "$out" ANSWER)" 8
size=$(printf '%s\n' "$out" | sed -n 's/.*MSG SIZE  rcvd: \([0-9]*\).*/\1/p')
expect_le "dig +bufsize=1232 medium TXT: the answer is within 1232 bytes (RFC 6891 6.2.5)" "$size" 1232
expect_ge "dig +bufsize=1232 medium TXT: and over 512 bytes (it needs EDNS)" "$size" 513

out=$(qdig "$PORT" +ignore +noedns medium.example.com TXT)
expect_eq "dig +noedns medium TXT: TC=1, over 512 without EDNS (RFC 1035 4.2.1)" "$(dig_flag "$out" tc)" 1
expect_eq "dig +noedns medium TXT: answer empty, no partial RRset (RFC 2181 9)" "$(dig_count "$out" ANSWER)" 0
expect_eq "dig +noedns medium TXT: no OPT when the query had none (RFC 6891 7)" "$(dig_has_opt "$out")" 0
out=$(qdig "$PORT" +noedns medium.example.com TXT)
expect_eq "dig +noedns medium TXT: the TCP retry gets all 8 (RFC 7766 5)" "$(dig_count "$out" ANSWER)" 8

# ---- the exact byte: a response of exactly the client's size fits, one byte less truncates.
full=$(dnsraw --port "$PORT" --tcp --edns -q medium.example.com/TXT)
fsize=$(kv size "$full")
expect_eq "medium TXT over TCP with EDNS: 8 records (RFC 7766 5)" "$(kv an "$full")" 8
r=$(dnsraw --port "$PORT" --edns --edns-size "$fsize" -q medium.example.com/TXT)
expect_eq "medium TXT, EDNS size = answer size ($fsize): TC=0 (RFC 6891 6.2.5)" \
	"$(kv tc "$r"):$(kv an "$r"):$(kv size "$r")" "0:8:$fsize"
r=$(dnsraw --port "$PORT" --edns --edns-size "$((fsize - 1))" -q medium.example.com/TXT)
expect_eq "medium TXT, EDNS size = answer size - 1: TC=1 (RFC 6891 6.2.5, RFC 1035 4.2.1)" \
	"$(kv tc "$r"):$(kv an "$r")" "1:0"
expect_eq "medium TXT truncated: header + question + OPT only (RFC 6891 7)" \
	"$(kv qd "$r"):$(kv an "$r"):$(kv ns "$r"):$(kv ar "$r"):$(kv opt "$r")" "1:0:0:1:1"
expect_eq "medium TXT truncated: the question is echoed (RFC 1035 4.1.1)" "$(kv qname "$r")" medium.example.com.

# Never more than the limit: max(512, min(client, server 1232)) (RFC 6891 6.2.5, RFC 1035 4.2.1).
for csize in 0 100 511 512 513 900 1231 1232 1233 4096 65535; do
	limit=$csize
	[ "$limit" -lt 512 ] && limit=512
	[ "$limit" -gt 1232 ] && limit=1232
	for name in medium big sub www; do
		r=$(dnsraw --port "$PORT" --edns --edns-size "$csize" -q $name.example.com/TXT)
		expect_le "$name TXT with EDNS size $csize: reply within $limit bytes (RFC 6891 6.2.5)" \
			"$(kv size "$r")" "$limit"
	done
	r=$(dnsraw --port "$PORT" --edns --edns-size "$csize" -q medium.example.com/TXT)
	want=0
	[ "$limit" -lt "$fsize" ] && want=1
	expect_eq "medium TXT with EDNS size $csize: TC=$want for a limit of $limit (RFC 6891 6.2.5)" \
		"$(kv tc "$r")" "$want"
done
# A payload size under 512 counts as 512 (RFC 6891 6.2.5): the ~150-byte referral fits.
r=$(dnsraw --port "$PORT" --edns --edns-size 100 -q sub.example.com/A)
expect_eq "referral with EDNS size 100: treated as 512, TC=0 with NS and glue (RFC 6891 6.2.5)" \
	"$(kv tc "$r"):$(kv ns "$r"):$(kv ar "$r")" "0:3:3"
# The OPT in the answer carries the server's size (RFC 6891 6.2.3).
expect_eq "OPT in the answer advertises 1232, the default --udp-size (RFC 6891 6.2.3)" "$(kv optsize "$r")" 1232
# Without EDNS, 512 (RFC 1035 4.2.1).
r=$(dnsraw --port "$PORT" -q medium.example.com/TXT)
expect_eq "medium TXT without EDNS: TC=1 (RFC 1035 4.2.1)" "$(kv tc "$r")" 1
expect_le "medium TXT without EDNS: reply within 512 (RFC 1035 4.2.1)" "$(kv size "$r")" 512

stop_dualnsd

# ---- --udp-size moves the server's side of min(client, server).
start_dualnsd --udp-size 512 "$top_srcdir/zones/example.com.zone"
r=$(dnsraw --port "$PORT" --edns --edns-size 1232 -q medium.example.com/TXT)
expect_eq "--udp-size 512: medium TXT with client 1232 is TC=1 (RFC 6891 6.2.5)" "$(kv tc "$r")" 1
expect_eq "--udp-size 512: the OPT advertises 512 (RFC 6891 6.2.3)" "$(kv optsize "$r")" 512
stop_dualnsd

start_dualnsd --udp-size 65535 "$top_srcdir/zones/example.com.zone"
r=$(dnsraw --port "$PORT" --edns --edns-size 65000 -q big.example.com/TXT)
expect_eq "--udp-size 65535, client 65000: big TXT fits over UDP, TC=0, 40 records (RFC 6891 6.2.5)" \
	"$(kv tc "$r"):$(kv an "$r")" "0:40"
r=$(dnsraw --port "$PORT" --edns --edns-size 4096 -q big.example.com/TXT)
expect_eq "--udp-size 65535, client 4096: big TXT (~4.5 KB) is TC=1 (RFC 6891 6.2.5)" "$(kv tc "$r")" 1
stop_dualnsd
