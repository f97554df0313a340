#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# secfaults.sh: dualnsd as a secondary (RFC 1034 section 4.3.5) of xfrinpeer.py, a primary
# that fails on purpose:
# - the primary killed, a transfer cut mid-way (RFC 5936 section 2.2), an IXFR starting at a
#   serial we do not have (RFC 1995 section 4), an AXFR without its final SOA, answers
#   with a TSIG that does not verify (RFC 8945 section 5.3): the old version is still
#   served, each failure is logged once with the zone and why, and the refresh is tried
#   again after the SOA's RETRY;
# - the primary gone past EXPIRE: SERVFAIL for that zone only, said once;
# - dualnsd killed (SIGKILL) while it writes a large zone's kept file: restarted, it serves
#   that file at once, a whole version, old or new;
# - the counters axfr-in, ixfr-in and xfr-in-failed (SIGUSR1, CH TXT stats.dualns.) match
#   the transfers and failures logged.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"

PEER=$top_srcdir/tests/xfr/xfrinpeer.py
KEY=faults-key.
SECRET=$(printf 'dualns faults test key, 32 byte' | base64)
D=$(sys_tmpdir)

# peer NAME PORT ORIGIN SERIAL MODE [ARGS...]: (re)starts xfrinpeer.py NAME; its pid in
# PEER_PID_NAME.
peer() {
	local name=$1 port=$2 origin=$3 serial=$4 mode=$5 var="PEER_PID_$1"
	shift 5
	peer_stop "$name"
	rm -f "$D/$name.ready"
	"$PYTHON3" "$PEER" "$port" "$origin" "$serial" --mode "$mode" --ready "$D/$name.ready" \
		--log "$D/$name.log" "$@" 2>>"$D/$name.err" &
	printf -v "$var" %s "$!"
	track_pid "$!"
	wait_for 10 test -e "$D/$name.ready" || fail "xfrinpeer.py $name ($mode) did not start"
}
peer_stop() {
	local var="PEER_PID_$1"
	[ -n "${!var}" ] || return 0
	kill -KILL "${!var}" 2>/dev/null
	wait "${!var}" 2>/dev/null
	untrack_pid "${!var}"
	printf -v "$var" %s ""
}

serial_at() {
	qdig "$PORT" +short "$1" SOA | awk 'NF == 7 { print $3 }'
}
serves_serial() {
	[ "$(serial_at "$1")" = "$2" ]
}
v_of() {
	qdig "$PORT" +short "v.$1" A
}
status_of() {
	qdig "$PORT" "$1" SOA | sed -n 's/.*status: \([A-Z]*\).*/\1/p'
}
# fails ZONE: the number of failed refreshes of ZONE logged so far.
fails() {
	grep -c "secondary $1: refresh failed: " "$DUALNSD_LOG"
}
fails_ge() {
	[ "$(fails "$1")" -ge "$2" ]
}
stat_of() {
	qdig "$PORT" +short CH TXT stats.dualns. | tr ' ' '\n' | sed -n "s/^\"$1=\([0-9]*\)\"\$/\1/p"
}
stat_ge() {
	[ "$(stat_of "$1")" -ge "$2" ]
}
status_is() {
	[ "$(status_of "$1")" = "$2" ]
}
stats_lines_gt() {
	[ "$(grep -c 'stats: ' "$DUALNSD_LOG")" -gt "$1" ]
}
# size_ge FILE BYTES: FILE exists with BYTES or more.
size_ge() {
	[ -e "$1" ] && [ "$(stat -c %s "$1")" -ge "$2" ]
}

FPORT=$(free_port)      # fault.example: refresh 2 retry 2 expire 30
EPORT=$(free_port)      # exp.example: expire 5
TPORT=$(free_port)      # tsig.example: transfers signed with KEY
BPORT=$(free_port)      # big.example: 200k records, kept in a file
TIMERS=2,2,30
peer fault "$FPORT" fault.example. 1 serve --timers "$TIMERS"
peer exp "$EPORT" exp.example. 1 serve --timers 2,2,5
peer big "$BPORT" big.example. 1 serve --timers 2,2,600 --records 200000
# tsig.example starts from its kept file (serial 1); its primary's answers never verify.
cat >"$D/tsig.example.zone" <<ZONE
\$ORIGIN tsig.example.
\$TTL 300
@	3600	IN SOA	ns hostmaster 1 2 2 30 300
	IN NS	ns
ns	IN A	192.0.2.1
v	IN A	192.0.2.1
ZONE
peer tsig "$TPORT" tsig.example. 2 bad-tsig --timers "$TIMERS" --key "$KEY"

cat >"$D/dualnsd.conf" <<CONF
key:
  - id: $KEY
    algorithm: hmac-sha256
    secret: $SECRET
remote:
  - id: fault
    address: 127.0.0.1@$FPORT
  - id: exp
    address: 127.0.0.1@$EPORT
  - id: big
    address: 127.0.0.1@$BPORT
  - id: tsig
    address: 127.0.0.1@$TPORT
    key: $KEY
zone:
  - domain: example.com
    file: $top_srcdir/zones/example.com.zone
  - domain: fault.example
    master: fault
  - domain: exp.example
    master: exp
  - domain: tsig.example
    master: tsig
    file: $D/tsig.example.zone
  - domain: big.example
    master: big
    file: $D/big/big.example.zone
CONF
mkdir -p "$D/big"
start_dualnsd -c "$D/dualnsd.conf"
T0=$(now_us)

wait_for 20 serves_serial fault.example 1 || bad "fault.example: serial 1 transferred"
wait_for 20 serves_serial exp.example 1 || bad "exp.example: serial 1 transferred"
expect_eq "tsig.example is served from its kept file at start" "$(serial_at tsig.example)" 1

# --- A correct IXFR first: it is counted as one.
peer fault "$FPORT" fault.example. 2 serve --timers "$TIMERS"
wait_for 10 serves_serial fault.example 2 || bad "fault.example: serial 2 by the next refresh"
expect_match "... by IXFR (RFC 1995)" "$(cat "$DUALNSD_LOG")" 'transfer: IXFR fault\.example serial 2 '
expect_eq "... v's new address" "$(v_of fault.example)" 192.0.2.2
wait_for 5 stat_ge ixfr-in 1 || bad "stats.dualns. counts the IXFR in"

# fault WHAT PATTERN: fault.example's refreshes fail the way PATTERN says (its primary
# was just made to fail): a first failure, then a second one no sooner than RETRY (2 s),
# each logged once (two lines at once would be under 1 s apart, polling delays
# included); serial 2 and its records are still served.
fault() {
	local what=$1 pattern=$2 n t1 t2
	n=$(fails fault.example)
	wait_for 10 fails_ge fault.example $((n + 1)) || { bad "$what: the failure is logged"; return; }
	t1=$(now_us)
	wait_for 10 fails_ge fault.example $((n + 2)) ||
		{ bad "$what: the refresh is tried again after RETRY"; return; }
	t2=$(now_us)
	expect_ge "$what: tried again after RETRY, one line per failure (ms)" \
		$(( (t2 - t1) / 1000 )) 1000
	expect_match "$what: the line names the zone and why" \
		"$(grep "secondary fault.example: refresh failed: " "$DUALNSD_LOG" | sed -n "$((n + 1))p")" \
		"$pattern"
	note "$(grep "secondary fault.example: refresh failed: " "$DUALNSD_LOG" | sed -n "$((n + 1))p")"
	expect_eq "$what: serial 2 still served" "$(serial_at fault.example)" 2
	expect_eq "$what: its records still served" "$(v_of fault.example)" 192.0.2.2
}

# exp.example's primary goes now: it expires 5 s later, while the faults below run.
peer_stop exp
peer_stop fault
fault "primary killed" 'connect|refused|recv|timed out'
peer fault "$FPORT" fault.example. 3 close --timers "$TIMERS"
fault "connection cut mid-transfer" 'ended before|closed|recv'
peer fault "$FPORT" fault.example. 3 ixfr-bad-start --timers "$TIMERS"
fault "IXFR from a serial we do not have" 'IXFR starts at serial 102, ours is 2'
peer fault "$FPORT" fault.example. 3 no-last-soa --timers "$TIMERS"
fault "a zone without its final SOA" 'before (the end of the IXFR|its final SOA)'

# The bad TSIG: the same, for tsig.example, whose old version is its kept file's.
n=$(fails tsig.example)
wait_for 10 fails_ge tsig.example $((n + 2)) || bad "bad TSIG: two failures logged"
expect_match "bad TSIG: the line names the zone and the TSIG error (RFC 8945 section 5.3)" \
	"$(grep "secondary tsig.example: refresh failed: " "$DUALNSD_LOG" | head -n 1)" \
	'TSIG|BADSIG|MAC|signature'
note "$(grep "secondary tsig.example: refresh failed: " "$DUALNSD_LOG" | head -n 1)"
expect_eq "bad TSIG: serial 1 still served" "$(serial_at tsig.example)" 1
expect_eq "bad TSIG: its records still served" "$(v_of tsig.example)" 192.0.2.1

# Back to a correct primary: the next refresh takes serial 3.
peer fault "$FPORT" fault.example. 3 serve --timers "$TIMERS"
wait_for 10 serves_serial fault.example 3 || bad "a correct primary again: serial 3 served"

# --- EXPIRE, checked while the faults above ran: SERVFAIL for exp.example only.
wait_for 20 status_is exp.example SERVFAIL ||
	bad "exp.example: SERVFAIL once EXPIRE passed (RFC 1034 section 4.3.5)"
n=$(fails exp.example)
wait_for 10 fails_ge exp.example $((n + 1)) || bad "exp.example: refreshes go on after EXPIRE"
expect_eq "... the expiry is logged once" \
	"$(grep -c 'secondary exp.example: serial 1 expired' "$DUALNSD_LOG")" 1
expect_eq "... another secondary zone still answers" "$(serial_at fault.example)" 3
expect_eq "... and a primary zone" "$(status_of example.com)" NOERROR

# --- The counters: SIGUSR1's line counts exactly the lines logged before it.
before=$(grep -c 'stats: ' "$DUALNSD_LOG")
kill -USR1 "$DUALNSD_PID"
wait_for 10 stats_lines_gt "$before" || bad "SIGUSR1 logs the counters"
upto=$(awk -v n="$before" '/stats: / && ++k > n { print; exit } { print }' "$DUALNSD_LOG")
line=$(tail -n 1 <<<"$upto")
expect_eq "xfr-in-failed counts the failed refreshes logged" \
	"$(sed -n 's/.* xfr-in-failed=\([0-9]*\).*/\1/p' <<<"$line")" \
	"$(grep -c ': refresh failed: ' <<<"$upto")"
expect_eq "axfr-in counts the AXFRs logged" "$(sed -n 's/.* axfr-in=\([0-9]*\).*/\1/p' <<<"$line")" \
	"$(grep -c 'transfer: AXFR ' <<<"$upto")"
expect_eq "ixfr-in counts the IXFRs logged" "$(sed -n 's/.* ixfr-in=\([0-9]*\).*/\1/p' <<<"$line")" \
	"$(grep -c 'transfer: IXFR ' <<<"$upto")"
expect_ge "stats.dualns. shows xfr-in-failed" "$(stat_of xfr-in-failed)" 6
expect_ge "stats.dualns. shows axfr-in" "$(stat_of axfr-in)" 3

note "faults, expiry and counters took $(( ($(now_us) - T0) / 1000 )) ms"
# --- SIGKILL while the kept file of big.example is written; a restart serves the file at
# once, a whole version. The kill comes at a different point of the write each round.
wait_for 30 grep -q 'secondary big.example: serial 1 kept in' "$DUALNSD_LOG" ||
	bad "big.example: serial 1 transferred and kept"
file=$D/big/big.example.zone
big_serial=1
for size in 1 2000000 4000000; do
	big_serial=$((big_serial + 1))
	peer big "$BPORT" big.example. "$big_serial" serve --timers 2,2,600 --records 200000
	wait_for 30 size_ge "$file.tmp" "$size" ||
		{ bad "round $size: the write of serial $big_serial began"; continue; }
	kill -KILL "$DUALNSD_PID"
	wait "$DUALNSD_PID" 2>/dev/null
	untrack_pid "$DUALNSD_PID"
	kept=$(awk '$4 == "SOA" { print $7; exit }' "$file")
	note "round $size: killed writing serial $big_serial; the file holds serial $kept"
	expect_match "round $size: after SIGKILL the kept file holds a whole version" \
		"$kept" "^[1-9][0-9]*\$"
	expect_le "... an old one or the new one" "$kept" "$big_serial"
	if command -v ldns-read-zone >/dev/null 2>&1; then
		expect_eq "round $size: ldns-read-zone reads it" \
			"$(ldns-read-zone "$file" 2>&1 >/dev/null; echo $?)" 0
	fi
	expect_eq "round $size: with all its records" "$(grep -c '^bulk' "$file")" 200000
	peer_stop big
	start_dualnsd -c "$D/dualnsd.conf"
	expect_eq "round $size: restarted, the kept serial is served at once" \
		"$(serial_at big.example)" "$kept"
done
note "the SIGKILL rounds took $(( ($(now_us) - T0) / 1000 )) ms from the start"
stop_dualnsd
