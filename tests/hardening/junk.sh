#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# junk.sh: a burst of 1000 malformed datagrams is counted, not logged per packet
# (per-packet problems are logged at a rate limit: log.c log_limited), and
# the server goes on answering.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
HOSTILE="$top_srcdir/tests/hardening/hostile.py"

# -v: the most verbose level, so whatever the server would say about a packet is printed.
start_dualnsd -v "$top_srcdir/zones/example.com.zone"
# An answered query: whatever the server logs while it starts is written by now.
qdig "$PORT" www.example.com A >/dev/null
lines0=$(wc -l <"$DUALNSD_LOG")

r=$("$PYTHON3" "$HOSTILE" --port "$PORT" junk --count 1000)
expect_eq "1000 malformed datagrams sent" "$r" "sent 1000"
# One more burst over TCP: each malformed message closes its connection.
for i in $(seq 20); do
	dnsraw --port "$PORT" --tcp --timeout 0.5 --tcp-length 5 --cut 5 -q www.example.com/A >/dev/null
done
# A query sent after the burst is answered after it (one worker reads the socket in order):
# once it is, every malformed datagram has been seen and logged, or not.
out=$(qdig "$PORT" www.example.com A)
expect_eq "after the burst: www A answered over UDP" "$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:1
lines1=$(wc -l <"$DUALNSD_LOG")
new=$((lines1 - lines0))
note "log lines after the burst: $new"
sed -n "$((lines0 + 1)),\$p" "$DUALNSD_LOG" | head -n 10 | sed 's/^/#   /'
# A line per packet would be 1000; the rate limit allows 5 a second per kind.
expect_le "1000 malformed datagrams and 20 bad TCP messages: at most 10 log lines" "$new" 10

out=$(qdig "$PORT" +tcp www.example.com A)
expect_eq "after the burst: www A answered over TCP" "$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:1

stop_dualnsd
# With -v the server reports its counters per worker when it stops ("dropped=N"): the
# dropped datagrams (short and QR=1: 4 of every 13 in the burst, some lost in the loopback
# queue) were counted.
dropped=$(sed -n 's/.*worker [0-9]*:.* dropped=\([0-9]*\).*/\1/p' "$DUALNSD_LOG" | awk '{ n += $1 } END { print n + 0 }')
if grep -Eq 'worker [0-9]+:.* dropped=' "$DUALNSD_LOG"; then
	expect_ge "the dropped datagrams are counted (worker counters at exit)" "$dropped" 200
else
	note "no worker counter line at exit (the server's statistics changed?): counting not checked"
fi
