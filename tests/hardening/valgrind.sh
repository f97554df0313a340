#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# valgrind.sh: dualnsd under valgrind's memcheck through a representative run (UDP, TCP
# pipelining, truncation and the TCP retry, malformed input, EDNS, CH, SIGHUP reloads of a
# broken and a mended zone, zone transfers whole, left by their client, held across a
# reload and stalled at shutdown, connections left open and half-sent at shutdown, NOTIFYs
# retried to a silent target and still pending at SIGTERM): no memory error, and after
# SIGTERM no definite leak and exit status 0.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool valgrind "apt-get install valgrind"
need_tool dig "apt-get install dnsutils"
[ -x "$DUALNSD" ] || fail "$DUALNSD is not built"
# An ASan build has its own allocator and shadow memory; memcheck cannot run it.
if grep -q __asan_init "$DUALNSD" 2>/dev/null; then
	skip "dualnsd is built with AddressSanitizer: valgrind cannot run it (the sanitizers check it instead)"
fi
HOSTILE="$top_srcdir/tests/hardening/hostile.py"
XFRPEER="$top_srcdir/tests/xfr/xfrpeer.py"

# example.net from a copy, so the reloads below can break it and mend it.
ZONES=$(sys_tmpdir)
cp "$top_srcdir/zones/example.net.zone" "$ZONES/" || fail "copy example.net.zone"
# mid.test: 3000 TXT records, a transfer of several messages; serial $1.
write_mid_zone() {
	local i
	{
		printf '$ORIGIN mid.test.\n$TTL 3600\n@ IN SOA ns1 hostmaster %s 7200 3600 1209600 300\n' "$1"
		printf '@ IN NS ns1\nns1 IN A 192.0.2.53\n'
		for ((i = 0; i < 3000; i++)); do
			printf 'n%d IN TXT "%0100d"\n' "$i" "$i"
		done
	} >"$ZONES/mid.test.zone.new" && mv "$ZONES/mid.test.zone.new" "$ZONES/mid.test.zone"
}
write_mid_zone 1
VG_LOG="$SYS_TMP/valgrind.log"
SYS_LOGS+=("$VG_LOG")
# Exit status 99 on any memcheck error, including a definite leak at exit; possible and
# reachable blocks (libev's loop, ldns' tables) are not errors.
DUALNSD_WRAP=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
	--log-file="$VG_LOG")
# Zone loading under valgrind takes seconds, not milliseconds.
DUALNSD_WAIT=120
# Rate limiting off: the queries below are about memory, from one client.
# NOTIFYs to a port nobody answers on: sent every second, still pending at SIGTERM.
SILENT=$(free_port) || fail "no free port"
# An idle timeout longer than a reload under valgrind: the paused transfer below waits one.
start_dualnsd --tcp-idle 30 --rrl-rate 0 --also-notify "127.0.0.1@$SILENT" --notify-retry 1 \
	--notify-tries 100 --allow-transfer 127.0.0.1 \
	"$top_srcdir/zones/example.com.zone" "$ZONES/example.net.zone" \
	"$top_srcdir/tests/data/broken.test.zone" "$ZONES/mid.test.zone"
DUALNSD_WRAP=()

# valgrind is slow: allow each exchange more time than the other tests do.
vdig() {
	dig -r @127.0.0.1 -p "$PORT" +tries=1 +time=10 "$@" 2>&1
}
q() {
	dnsraw --port "$PORT" --timeout 10 "$@"
}

# ---- answers over UDP: positive, NXDOMAIN, NODATA, referral, CNAME, wildcard, ANY.
for args in "www.example.com A" "nothere.example.com A" "www.example.com TXT" \
	"sub.example.com A" "alias.example.com A" "example.com ANY" "www.example.net AAAA"; do
	out=$(vdig $args)
	expect_ne "UDP $args: answered" "$(dig_status "$out")" timeout
done
# A zone that failed to load: SERVFAIL (with EDE when the query has EDNS).
out=$(vdig ns1.broken.test A)
expect_eq "a name of the zone that failed: SERVFAIL" "$(dig_status "$out")" SERVFAIL
out=$(vdig +norec example.org A)
expect_eq "outside every zone: REFUSED" "$(dig_status "$out")" REFUSED
out=$(vdig CH TXT id.server)
expect_ne "CH TXT id.server: answered" "$(dig_status "$out")" timeout
out=$(vdig +nsid +dnssec www.example.com A)
expect_eq "EDNS with NSID and DO: answered" "$(dig_status "$out")" NOERROR

# ---- truncation and the TCP retry: TC over UDP, the whole RRset over TCP.
out=$(vdig +ignore big.example.com TXT)
expect_eq "big TXT over UDP: TC=1" "$(dig_flag "$out" tc)" 1
out=$(vdig big.example.com TXT)
expect_eq "big TXT retried over TCP: 40 records" "$(dig_count "$out" ANSWER)" 40

# ---- TCP pipelining and partial writes.
r=$(q --tcp -q www.example.com/A -q big.example.com/TXT -q nothere.example.com/A -q example.org/A)
expect_eq "4 pipelined TCP queries: 4 answers" "$(printf '%s\n' "$r" | grep -c '^id=')" 4
r=$(q --tcp --chunk 7 --chunk-delay 0.01 -q www.example.com/A -q mail.example.com/A)
expect_eq "TCP queries in 7-byte pieces: both answered" "$(printf '%s\n' "$r" | grep -c 'rcodename=NOERROR')" 2

# ---- malformed input over UDP and TCP (the drop and FORMERR paths).
"$PYTHON3" "$HOSTILE" --port "$PORT" junk --count 130 >/dev/null
r=$(q --qdcount 2 -q www.example.com/A)
expect_eq "QDCOUNT 2: FORMERR" "$(kv rcodename "$r")" FORMERR
r=$(q --edns --edns-count 2 -q www.example.com/A)
expect_eq "two OPTs: FORMERR" "$(kv rcodename "$r")" FORMERR
r=$(q --edns --edns-version 1 -q www.example.com/A)
expect_eq "EDNS version 1: BADVERS" "$(kv rcodename "$r")" BADVERS
r=$(q --opcode 2 -q www.example.com/A)
expect_eq "opcode 2: NOTIMP" "$(kv rcodename "$r")" NOTIMP
r=$(q --tcp --tcp-length 0 --cut 0 -q www.example.com/A)
expect_eq "TCP length 0: closed" "$r" closed
r=$(q --tcp --qr 1 -q www.example.com/A)
expect_eq "TCP QR=1: closed" "$r" closed

# reload_lines_gt N: the log has more than N lines about a reload (for wait_for).
reload_lines_gt() {
	[ "$(grep -c 'reload' "$DUALNSD_LOG")" -gt "$1" ]
}

# ---- SIGHUP reloads: a broken example.net keeps the old version, a mended one replaces
# it; each swap frees a database the workers have left (no leak, no use after free).
for version in broken good broken good; do
	if [ "$version" = broken ]; then
		{ cat "$top_srcdir/zones/example.net.zone"; echo "bad IN A 300.1.2.3"; } >"$ZONES/example.net.zone"
	else
		cp "$top_srcdir/zones/example.net.zone" "$ZONES/example.net.zone"
	fi
	lines=$(grep -c 'reload' "$DUALNSD_LOG")
	kill -HUP "$DUALNSD_PID"
	wait_for 60 reload_lines_gt "$lines"
	expect_ge "SIGHUP with a $version example.net: a reload line in the log" "$(grep -c 'reload' "$DUALNSD_LOG")" $((lines + 1))
	out=$(vdig www.example.net A)
	expect_eq "after a reload with a $version example.net: www.example.net still answered" \
		"$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:1
done

# ---- zone transfers: whole; left by the client after one message; held across a reload
# that replaces the zone, so that the transfer's end frees the old version in the worker.
out=$("$PYTHON3" "$XFRPEER" axfr "$PORT" mid.test | sed 's/messages=[0-9]* //')
expect_eq "AXFR mid.test: whole" "$out" "records=3004 first=1 last=1 rcode=NOERROR"
out=$("$PYTHON3" "$XFRPEER" axfr "$PORT" mid.test --rcvbuf 4096 --close-after 1)
expect_match "AXFR mid.test left after one message" "$out" '^messages=1 '
PAUSE="$SYS_TMP/xfr-pause"
"$PYTHON3" "$XFRPEER" axfr "$PORT" mid.test --rcvbuf 4096 --pause-file "$PAUSE" >"$SYS_TMP/xfr-slow" &
slow=$!
track_pid "$slow"
wait_for 60 test -e "$PAUSE.started" || bad "the slow transfer started"
write_mid_zone 2
lines=$(grep -c 'reload' "$DUALNSD_LOG")
kill -HUP "$DUALNSD_PID"
wait_for 60 reload_lines_gt "$lines" || bad "reloaded with mid.test serial 2"
touch "$PAUSE"
wait "$slow"
untrack_pid "$slow"
expect_eq "the transfer held across the reload ends whole, with the old serial" \
	"$(sed 's/messages=[0-9]* //' "$SYS_TMP/xfr-slow")" "records=3004 first=1 last=1 rcode=NOERROR"

# ---- connections the server must free at shutdown: one idle, one mid-message, one
# transfer whose client stopped reading.
"$PYTHON3" "$HOSTILE" --port "$PORT" --wait 30 idle >/dev/null &
idle=$!
track_pid "$idle"
"$PYTHON3" "$HOSTILE" --port "$PORT" --wait 30 stall --length 200 --send 30 >/dev/null &
stall=$!
track_pid "$stall"
# server_conns_ge N: the server holds at least N established TCP connections.
server_conns_ge() {
	[ "$(ss -Htn state established "sport = :$PORT" | wc -l)" -ge "$1" ]
}
"$PYTHON3" "$XFRPEER" stall "$PORT" mid.test --pause-file "$SYS_TMP/never" >/dev/null &
xfr_stall=$!
track_pid "$xfr_stall"
wait_for 60 server_conns_ge 3 || bad "the idle, the stalled and the transfer's client are connected"

out=$(vdig www.example.com A)
expect_eq "after everything: www A answered" "$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:1

# notify_sent_ge N: at least N NOTIFY datagrams were sent (retries included).
notify_sent_ge() {
	local n
	n=$(vdig +short CH TXT stats.dualns | tr ' ' '\n' | sed -n 's/^"notify-sent=\([0-9]*\)"$/\1/p')
	[ "${n:-0}" -ge "$1" ]
}
wait_for 60 notify_sent_ge 4 || bad "NOTIFYs to the silent target are retried"

# ---- SIGTERM: clean exit; memcheck's verdict is the exit status (99: errors or leaks).
stop_pid "$DUALNSD_PID" 60
status=$STOP_STATUS
[ "$status" = killed ] && bad "dualnsd under valgrind stops within 60 s of SIGTERM"
expect_eq "dualnsd under valgrind: exit 0 after SIGTERM (no memcheck error, no definite leak)" "$status" 0
if [ "$status" -ne 0 ]; then
	sed -n '1,80p' "$VG_LOG" | sed 's/^/#   /'
fi
expect_nomatch "valgrind log: no invalid read or write" "$(cat "$VG_LOG")" 'Invalid (read|write)|uninitialised'
expect_nomatch "valgrind log: nothing definitely lost" "$(cat "$VG_LOG")" 'definitely lost: [1-9]'
kill "$idle" "$stall" "$xfr_stall" 2>/dev/null || true  # the server closed them at shutdown
