#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# identity.sh: who answered and how much: NSID (RFC 5001) over UDP and TCP, the CH TXT
# identity and version names, --hide-*, the stats.dualns. counters and SIGUSR1, the query
# log line and its UTC time, --force-tc, and --syslog.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
ZONES=("$top_srcdir/zones/example.com.zone" "$top_srcdir/zones/example.net.zone")

# --- NSID and the CH names, configured.
start_dualnsd --nsid ns-test-7 --identity ns1.test.example -q "${ZONES[@]}"
out=$(qdig "$PORT" +nsid www.example.com A)
expect_match "NSID over UDP when asked (RFC 5001 section 2.3)" "$out" 'NSID: .*\("ns-test-7"\)'
out=$(qdig "$PORT" +tcp +nsid www.example.com A)
expect_match "NSID over TCP when asked (RFC 5001 section 2.3)" "$out" 'NSID: .*\("ns-test-7"\)'
out=$(qdig "$PORT" www.example.com A)
expect_nomatch "no NSID when the query did not ask (RFC 5001 section 2.3)" "$out" 'NSID'
for name in id.server hostname.bind; do
	out=$(qdig "$PORT" +short CH TXT "$name")
	expect_eq "CH TXT $name is the --identity" "$out" '"ns1.test.example"'
done
for name in version.server version.bind; do
	out=$(qdig "$PORT" +short CH TXT "$name")
	expect_match "CH TXT $name names dualns and its version" "$out" '^"dualns [0-9]'
done
out=$(qdig "$PORT" CH TXT id.server)
expect_eq "CH TXT id.server: NOERROR, AA" "$(dig_status "$out"):$(dig_flag "$out" aa)" NOERROR:1
out=$(qdig "$PORT" CH TXT other.server)
expect_eq "an unknown CH name: REFUSED" "$(dig_status "$out")" REFUSED

# --- stats.dualns. and SIGUSR1: the counters move with the traffic.
for i in 1 2 3; do qdig "$PORT" www.example.com A >/dev/null; done
qdig "$PORT" nothing.example.com A >/dev/null
qdig "$PORT" +tcp www.example.com A >/dev/null
out=$(qdig "$PORT" +short CH TXT stats.dualns)
# 3 + 1 + the NSID/CH queries above over UDP; one TCP query before this one (plus the
# TCP NSID query): counted by transport and family, answers by RCODE.
expect_match "stats.dualns. counts NXDOMAIN answers" "$out" '"nxdomain=1"'
expect_match "stats.dualns. counts TCP queries over IPv4" "$out" '"tcp4=2"'
expect_match "stats.dualns. counts REFUSED answers" "$out" '"refused=1"'
expect_match "stats.dualns. counts TCP connections" "$out" '"tcp-accepted=2"'
udp=$(printf '%s\n' "$out" | sed -n 's/.*"udp4=\([0-9]*\)".*/\1/p')
expect_ge "stats.dualns. counts the UDP queries" "${udp:-0}" 12
kill -USR1 "$DUALNSD_PID"
wait_for 20 grep -q 'stats: udp4=' "$DUALNSD_LOG"
expect_match "SIGUSR1 logs the counters in one line" "$(cat "$DUALNSD_LOG")" 'stats: udp4=[0-9]+ udp6=0 tcp4=2 .*nxdomain=1 .*tcp-accepted=2'
# --- the query log: time, transport, client, qname, class, type, RCODE, size, TC.
expect_match "-q logs time, transport, client, name, class, type, RCODE and size" \
	"$(cat "$DUALNSD_LOG")" '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z udp 127\.0\.0\.1:[0-9]+ nothing\.example\.com\. IN A NXDOMAIN [0-9]+'
expect_match "-q logs TCP queries too" "$(cat "$DUALNSD_LOG")" ' tcp 127\.0\.0\.1:[0-9]+ www\.example\.com\. IN A NOERROR [0-9]+'
stop_dualnsd

# --- the query log's time is UTC with Z (RFC 3339 section 5.6), whatever TZ says: here
# 14 hours east of UTC (a POSIX TZ string, so no tzdata is needed). The logged second
# must lie between the clock read before the query and after its line appeared.
DUALNSD_WRAP=(env TZ=FAR-14)
start_dualnsd -q "${ZONES[@]}"
DUALNSD_WRAP=()
before=$(date -u +%s)
qdig "$PORT" www.example.net A >/dev/null
wait_for 20 grep -q ' www\.example\.net\. IN A ' "$DUALNSD_LOG"
after=$(date -u +%s)
line=$(grep -m 1 ' www\.example\.net\. IN A ' "$DUALNSD_LOG")
stamp=${line#dualnsd: }
stamp=${stamp%% *}
expect_match "-q with TZ=FAR-14: the time ends in Z, to the millisecond (RFC 3339 section 5.6)" \
	"$stamp" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$'
logged=$(date -u -d "$(printf '%s' "${stamp%.*}" | tr T ' ')" +%s 2>/dev/null || echo 0)
if [ "$logged" -ge "$before" ] && [ "$logged" -le "$after" ]; then
	ok "-q with TZ=FAR-14: the logged time is UTC (date -u)"
else
	bad "-q with TZ=FAR-14: the logged time is UTC (date -u)" \
		"want: from $(date -u -d "@$before" +%FT%T) to $(date -u -d "@$after" +%FT%T)" \
		"got:  $stamp"
fi
stop_dualnsd

# --- hidden identity and version; NSID auto.
start_dualnsd --hide-identity --hide-version --nsid auto "${ZONES[@]}"
for name in id.server hostname.bind version.server version.bind; do
	out=$(qdig "$PORT" CH TXT "$name")
	expect_eq "--hide-*: CH TXT $name REFUSED" "$(dig_status "$out")" REFUSED
done
out=$(qdig "$PORT" +nsid www.example.com A)
expect_match "--nsid auto: the host name and the pid" "$out" "NSID: .*\(\"$(hostname)/$DUALNSD_PID\"\)"
stop_dualnsd

# --- --force-tc=2: every second UDP answer empty with TC; TCP never.
start_dualnsd --force-tc=2 "${ZONES[@]}"
tcs=0
for i in 1 2 3 4; do
	out=$(qdig "$PORT" +ignore www.example.com A)
	tcs=$((tcs + $(dig_flag "$out" tc)))
done
expect_eq "--force-tc=2: 2 of 4 UDP answers have TC" "$tcs" 2
out=$(qdig "$PORT" www.example.com A)
out2=$(qdig "$PORT" www.example.com A)
expect_match "--force-tc: dig falls back to TCP on the same port and gets the answer" "$out$out2" 'Truncated, retrying in TCP mode'
expect_eq "--force-tc: the answer after the fallback" "$(dig_count "$out" ANSWER)$(dig_count "$out2" ANSWER)" 11
stop_dualnsd

# --- --syslog: the lines go to /dev/log, not stderr. Only where no syslog daemon owns
# /dev/log, so the test can listen there itself.
if [ ! -e /dev/log ] && [ -w /dev ]; then
	"$PYTHON3" - "$SYS_TMP/syslog.txt" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
s.settimeout(60)
out = open(sys.argv[1], "w")
end = time.time() + 60  # stopped by the test long before
try:
    while time.time() < end:
        out.write(s.recv(4096).decode(errors="replace") + "\n")
        out.flush()
except socket.timeout:
    pass
PY
	listener=$!
	track_pid "$listener"
	wait_for 20 test -S /dev/log || fail "the test's listener did not bind /dev/log"
	start_dualnsd --syslog "${ZONES[@]}"
	kill -USR1 "$DUALNSD_PID"
	wait_for 20 grep -q 'stats: udp4=' "$SYS_TMP/syslog.txt"
	stop_dualnsd
	kill "$listener" 2>/dev/null
	wait "$listener" 2>/dev/null
	rm -f /dev/log
	expect_match "--syslog: the counters line reaches syslog, facility daemon" \
		"$(cat "$SYS_TMP/syslog.txt")" '^<30>.*dualnsd\[[0-9]+\]: stats: udp4='
	expect_nomatch "--syslog: nothing but the startup line on stderr" \
		"$(grep -v 'serving' "$DUALNSD_LOG")" 'stats:'
else
	note "/dev/log exists (a syslog daemon runs) or /dev is read-only: --syslog is not tested"
fi
