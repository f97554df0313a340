#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/rrl-slip.sh: a forged flood in a victim's name, with rate limiting off and on; the
# slip's TC sends a real client to TCP, which a forger cannot use.
. "$(dirname "$0")/common.sh"

FLOOD="$PYTHON3 $here/flood.py"
VICTIM=127.0.0.2
QUESTION="--qname medium.example.com --qtype TXT"
# flood ARGS...: the flood tool, shown as it is run.
flood() {
	printf '$ flood.py %s\n' "$*"
	$FLOOD --port "$port" $QUESTION "$@"
}
# counters: the rate-limit counters dualnsd keeps (CH TXT stats.dualns, loopback only).
counters() {
	"$DUALQ" @127.0.0.1 -p "$port" stats.dualns TXT CH +short | tr ' "' '\n\n' | grep '^rrl-'
}

port=$(free_port)
say "dualnsd on 127.0.0.1 port $port, two workers, rate limiting off (--rrl-rate 0)"
start_dualnsd "$port" --workers 2 --rrl-rate 0
note "Rate limiting is on by default (200 answers per second per bucket); this run turns it" \
     "off to show what an open authoritative server does for a forger."

say "A forged flood: 10000 queries in $VICTIM's name, from 16 source ports, for a 950-byte answer"
flood --source "$VICTIM" --sockets 16 --count 10000 --rate 10000
note "On the loopback any 127.x.y.z is a local address, so the flood sends from $VICTIM" \
     "itself; on the internet a forger writes the victim's address into its packets and" \
     "the answers go to the victim. bytes_out is what the flood sent (47-byte queries)," \
     "bytes_in what came back to $VICTIM: twenty times more (amplification), for nothing." \
     "The source ports vary, so SO_REUSEPORT spreads the flood over both workers."
stop_dualnsd

say "The same server with rate limiting at its defaults: 200 answers/s per bucket, slip 2"
start_dualnsd "$port" --workers 2
flood --source "$VICTIM" --sockets 16 --count 10000 --rate 10000
note "A bucket is (client /24, kind of answer, name). Past 200 answers in a second, every" \
     "2nd answer \"slips\": header, question and OPT, no records, TC=1 (RFC 6891 section 7's" \
     "bare form); the others are dropped. Both workers count in one shared table, so the" \
     "spread over workers does not raise the limit. A slip is no bigger than the query, so" \
     "past the first 200 full answers of each second the victim gets back at most half" \
     "what the flood sent: the faster the flood, the further the amplification falls below 1" \
     "(contrib/bench/flood.sh measures it at the machine's full rate)."
counters

say "Meanwhile a real client in the victim's /24 (127.0.0.9) asks the same question"
# 20 s at most: stopped as soon as the two clients have asked.
$FLOOD --port "$port" $QUESTION --source "$VICTIM" --sockets 16 --count 60000 --rate 3000 >/dev/null &
flood_pid=$!
track_pid "$flood_pid"
# Ask once the flood has the bucket over its rate (the limited counter moves).
limited() { [ "$(counters | sed -n 's/^rrl-limited=//p')" -gt "${1:-0}" ]; }
before=$(counters | sed -n 's/^rrl-limited=//p')
wait_for 10 limited "$before" || true
trace -b 127.0.0.9 @127.0.0.1 -p "$port" medium.example.com TXT +timeout=0.5 +tries=10
note "127.0.0.9 shares the victim's bucket, so its UDP question is limited too: dropped" \
     "(dualq tries again) or slipped. A slip's TC=1 sends it to TCP on the same port, and" \
     "TCP is never limited: a connection needs the handshake, which a forged source" \
     "cannot complete. dualq's note says the TC looks like a slip, not size: the TCP" \
     "answer would have fit in UDP."

say "A client in another /24 (127.1.0.9) is not limited at all"
trace -b 127.1.0.9 @127.0.0.1 -p "$port" medium.example.com TXT
stop_pid "$flood_pid"

say "What dualnsd counted and logged: one line when a bucket starts being limited, one when it stops"
counters
wait_for 5 grep -q 'rrl: stopped limiting' "$demo_tmp/dualnsd.log" || true
grep 'rrl:' "$demo_tmp/dualnsd.log" | sed 's/^/    /'
note "Never a line per query: a flood must not become a log flood."
stop_dualnsd
