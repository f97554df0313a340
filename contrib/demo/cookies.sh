#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/cookies.sh: DNS Cookies under a forged flood: a client that proves its address
# with a server cookie is never rate limited; a forged source cannot present a valid one.
. "$(dirname "$0")/common.sh"

FLOOD="$PYTHON3 $here/flood.py"
VICTIM=127.0.0.2
CLIENT=127.0.0.9
QUESTION="--qname www.example.com --qtype A"
flood() {
	printf '$ flood.py %s\n' "$*"
	$FLOOD --port "$port" $QUESTION "$@"
}

port=$(free_port)
say "dualnsd on 127.0.0.1 port $port, two workers, rate limiting and cookies at their defaults"
start_dualnsd "$port" --workers 2
note "200 answers per second per bucket, slip 2; a random cookie secret made at start."

say "A client asks with a cookie: the server sends its own back (RFC 7873, RFC 9018)"
trace -b "$CLIENT" @127.0.0.1 -p "$port" www.example.com +cookie
cookie=$("$DUALQ" -b "$CLIENT" @127.0.0.1 -p "$port" www.example.com +cookie +json |
	"$PYTHON3" -c 'import json, sys; c = json.load(sys.stdin)["legs"][0]["cookie"]; print(c["client"] + c["server"])')
note "The server cookie: version 1, reserved, a timestamp, and SipHash-2-4 of the client" \
     "cookie, those 8 bytes and the client's address ($CLIENT) under the server's secret." \
     "Only a client that receives answers at $CLIENT can learn it."

say "A forged flood in $VICTIM's name, the same question, in the background"
# 20 s at most: stopped as soon as the clients have asked.
$FLOOD --port "$port" $QUESTION --source "$VICTIM" --sockets 16 --count 60000 --rate 3000 >/dev/null &
flood_pid=$!
track_pid "$flood_pid"
limited() {
	"$DUALQ" @127.0.0.1 -p "$port" stats.dualns TXT CH +short | tr ' "' '\n\n' |
		awk -F= -v n="$1" '$1 == "rrl-limited" && $2 > n { ok = 1 } END { exit !ok }'
}
wait_for 10 limited 0 || true

say "$CLIENT without a cookie, 100 questions in a second: it shares the victim's /24, so it is limited"
flood --source "$CLIENT" --sockets 4 --count 100 --rate 100

say "$CLIENT resending the server cookie it learned: never limited"
flood --source "$CLIENT" --sockets 4 --count 100 --rate 100 --cookie "$cookie"
note "A valid server cookie proves the source address (RFC 7873 section 5.2.5), so the" \
     "rate limiter lets the answer through: every one answered, none slipped or dropped."

say "The forger copies that cookie into its packets from $VICTIM: it does not verify"
flood --source "$VICTIM" --sockets 4 --count 100 --rate 100 --cookie "$cookie"
note "The hash covers the client's address: for $VICTIM the cookie is wrong, the answer" \
     "carries a fresh cookie for $VICTIM (which the forger never sees) and is limited like" \
     "the rest of the flood."
stop_pid "$flood_pid"

say "What dualnsd counted"
"$DUALQ" @127.0.0.1 -p "$port" stats.dualns TXT CH +short | tr ' "' '\n\n' | grep -E '^(rrl|cookie|badcookie)'
stop_dualnsd
