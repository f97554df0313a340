#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# axfrout.sh: dualnsd as a primary: AXFR (RFC 5936) and IXFR (RFC 1995) out with dig, kdig
# and xfrpeer.py, against the same zone served by NSD; the ACL's refusals; a transfer held
# across a reload; a client that stops reading, and one that leaves.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
need_tool kdig "apt-get install knot-dnsutils"
XFRPEER=$top_srcdir/tests/xfr/xfrpeer.py
ZONE=$top_srcdir/zones/example.com.zone

xfrpeer() {
	"$PYTHON3" "$XFRPEER" "$@"
}

# The records of a transfer, one a line, sorted: what two servers' transfers compare by.
axfr_sorted() {
	local tool=$1 port=$2 zone=$3
	if [ "$tool" = dig ]; then
		dig -r @127.0.0.1 -p "$port" +tries=1 +time=5 +nocmd +nostats +nocomments "$zone" AXFR
	else
		kdig @127.0.0.1 -p "$port" +time=5 +nostats "$zone" AXFR
	fi | grep -v '^;' | grep -v '^$' | sort
}

# A zone of 100 000 records (50 000 names with an A and a TXT), serial $2, in file $1.
make_big_zone() {
	"$PYTHON3" - "$1" "$2" <<'PYEOF'
import sys
path, serial = sys.argv[1], int(sys.argv[2])
with open(path + ".new", "w") as f:
    f.write("$ORIGIN big.test.\n$TTL 3600\n")
    f.write("@ IN SOA ns1 hostmaster %d 7200 3600 1209600 300\n@ IN NS ns1\n" % serial)
    f.write("ns1 IN A 192.0.2.53\n")
    for i in range(49999):
        f.write("h%05d IN A 10.%d.%d.%d\n" % (i, i >> 16, (i >> 8) & 255, i & 255))
        f.write("h%05d IN TXT \"%s-%05d\"\n" % (i, "x" * 60, i))
    f.write("h49999 IN A 10.0.0.1\n")
import os
os.rename(path + ".new", path)
PYEOF
}

BIG=$SYS_TMP/big.test.zone
make_big_zone "$BIG" 1
# 3 + 2 * 49999 + 1 records in the file; the SOA comes twice in a transfer.
BIG_RRS=100002

# An idle timeout longer than any wait below: the paused client of the reload test reads
# nothing while the zone reloads. The stalled client gets a server of its own.
start_dualnsd --workers 1 --tcp-idle 60 --allow-transfer 127.0.0.1 "$ZONE" "$BIG"
MAIN_PORT=$PORT MAIN_PID=$DUALNSD_PID MAIN_LOG=$DUALNSD_LOG

# ---------------------------------------------------------------- the whole zone
NSD_ZONE_LINES=$'\tprovide-xfr: 127.0.0.1 NOKEY'
start_nsd "$ZONE" example.com
for tool in dig kdig; do
	ours=$(axfr_sorted "$tool" "$MAIN_PORT" example.com)
	ref=$(axfr_sorted "$tool" "$NSD_PORT" example.com)
	expect_ne "$tool AXFR example.com gets records" "$(printf '%s\n' "$ours" | wc -l)" 1
	if [ "$ours" = "$ref" ]; then
		ok "$tool AXFR: the same records as NSD's, SOA twice (RFC 5936 section 2.2)"
	else
		bad "$tool AXFR: the same records as NSD's (RFC 5936 section 2.2)" \
			"$(diff <(printf '%s\n' "$ref") <(printf '%s\n' "$ours") | head -20)"
	fi
done
out=$(qdig "$MAIN_PORT" example.com AXFR)
expect_match "dig: one message for a small zone" "$out" 'XFR size: [0-9]+ records \(messages 1,'

out=$(xfrpeer axfr "$MAIN_PORT" big.test)
expect_eq "100 000 records in several messages, SOA first and last (RFC 5936 section 2.2)" \
	"$(echo "$out" | sed 's/messages=[0-9]* //')" "records=$((BIG_RRS + 1)) first=1 last=1 rcode=NOERROR"
expect_ge "a zone over 64 KiB takes more than one message" \
	"$(echo "$out" | sed -n 's/^messages=\([0-9]*\).*/\1/p')" 2
out=$(qdig "$MAIN_PORT" big.test AXFR | grep -c 'IN	TXT')
expect_eq "dig AXFR of the big zone: every TXT" "$out" 49999

# ---------------------------------------------------------------- refusals
r=$(dnsraw --port "$MAIN_PORT" -q example.com/AXFR)
expect_eq "AXFR over UDP: NOTIMP, no records (RFC 5936 section 4.2)" \
	"$(kv rcodename "$r"):$(kv an "$r")" NOTIMP:0
r=$(xfrpeer axfr "$MAIN_PORT" www.example.com)
expect_eq "AXFR of a name that is no apex: NOTAUTH (RFC 5936 section 2.2.1)" "$r" \
	"messages=1 records=0 first=- last=- rcode=NOTAUTH"
r=$(xfrpeer axfr "$MAIN_PORT" example.org)
expect_eq "AXFR of a zone not served: NOTAUTH (RFC 5936 section 2.2.1)" "$r" \
	"messages=1 records=0 first=- last=- rcode=NOTAUTH"

start_dualnsd --allow-transfer 10.0.0.0/8 --allow-transfer ::1 "$ZONE"
r=$(dnsraw --port "$PORT" --tcp --edns -q example.com/AXFR)
expect_eq "outside the ACL: REFUSED with EDE 18, Prohibited (RFC 8914 section 4.19)" \
	"$(kv rcodename "$r"):$(kv an "$r"):$(kv ede "$r")" REFUSED:0:18
out=$(qdig "$PORT" +short CH TXT stats.dualns)
expect_match "refusals are counted" "$out" '"xfr-refused=[1-9]'
start_dualnsd "$ZONE"
r=$(dnsraw --port "$PORT" --tcp --edns -q example.com/AXFR)
expect_eq "no --allow-transfer: nobody may transfer, REFUSED" "$(kv rcodename "$r"):$(kv ede "$r")" REFUSED:18

# ---------------------------------------------------------------- IXFR
serial=$(qdig "$MAIN_PORT" +short example.com SOA | awk '{print $3}')
for how in +tcp +notcp; do
	for s in "$serial" $((serial + 1)); do
		out=$(qdig "$MAIN_PORT" "$how" +nocmd +nostats +nocomments example.com "IXFR=$s" | grep -v '^;' | grep -v '^$')
		expect_eq "IXFR $how from serial $s (ours $serial or newer): our SOA alone (RFC 1995 section 2)" \
			"$(printf '%s\n' "$out" | awk '{print $4, $7}')" "SOA $serial"
	done
done
out=$(xfrpeer axfr "$MAIN_PORT" example.com --ixfr $((serial - 5)))
all=$(xfrpeer axfr "$MAIN_PORT" example.com)
expect_eq "IXFR over TCP from a serial not kept: the whole zone (RFC 1995 section 4)" "$out" "$all"
out=$(qdig "$MAIN_PORT" +notcp +nocmd +nostats +nocomments example.com "IXFR=$((serial - 5))" | grep -v '^;' | grep -v '^$')
expect_eq "IXFR over UDP from a serial not kept: our SOA alone, never a zone (RFC 1995 section 2)" \
	"$(printf '%s\n' "$out" | awk '{print $4, $7}')" "SOA $serial"

# ---------------------------------------------------------------- a reload during a transfer
PAUSE=$SYS_TMP/pause
done_re='xfr: AXFR big.test. serial 1 to [^ ]*: [0-9]+ messages'
before=$(grep -Ec "$done_re" "$MAIN_LOG")
xfrpeer axfr "$MAIN_PORT" big.test --rcvbuf 4096 --pause-file "$PAUSE" >"$SYS_TMP/slow.out" &
SLOW=$!
track_pid "$SLOW"
wait_for 20 test -e "$PAUSE.started" || bad "the slow transfer started"
expect_eq "the slow transfer is under way when the zone changes" \
	"$(grep -Ec "$done_re" "$MAIN_LOG")" "$before"
make_big_zone "$BIG" 2
kill -HUP "$MAIN_PID"
wait_for 30 grep -q 'zone big.test.: serial 2' "$MAIN_LOG" || bad "big.test reloaded with serial 2"
out=$(xfrpeer axfr "$MAIN_PORT" big.test | sed 's/messages=[0-9]* //')
expect_eq "a transfer started after the reload gets the new serial" "$out" \
	"records=$((BIG_RRS + 1)) first=2 last=2 rcode=NOERROR"
touch "$PAUSE"
wait_for 30 test -s "$SYS_TMP/slow.out" || bad "the slow transfer ended"
wait "$SLOW" 2>/dev/null
untrack_pid "$SLOW"
expect_eq "the transfer under way ends with the old version, whole (RFC 5936 section 6)" \
	"$(sed 's/messages=[0-9]* //' "$SYS_TMP/slow.out")" "records=$((BIG_RRS + 1)) first=1 last=1 rcode=NOERROR"

# The reload kept the difference from serial 1 (journal.c): IXFR sends it condensed, here
# the SOAs alone since only the serial changed.
out=$(xfrpeer axfr "$MAIN_PORT" big.test --ixfr 1)
expect_eq "IXFR over TCP from the version before the reload: our SOA, the old SOA, our SOA twice (RFC 1995 section 4)" \
	"$out" "messages=1 records=4 first=2 last=2 rcode=NOERROR"
out=$(qdig "$MAIN_PORT" +notcp +nocmd +nostats +nocomments big.test IXFR=1 | grep -v '^;' | grep -v '^$' |
	awk '{printf "%s %s ", $4, $7}')
expect_eq "IXFR over UDP from the version before the reload: the difference fits (RFC 1995 section 2)" \
	"$out" "SOA 2 SOA 1 SOA 2 SOA 2 "

# ---------------------------------------------------------------- a client that stops reading
# One worker, so the queries below meet the stalled transfer's loop; a 2 s idle timeout.
start_dualnsd --workers 1 --tcp-idle 2 --allow-transfer 127.0.0.1 "$ZONE" "$BIG"
STALL_PORT=$PORT STALL_LOG=$DUALNSD_LOG
STALL=$SYS_TMP/stall
xfrpeer stall "$STALL_PORT" big.test --pause-file "$STALL" >"$SYS_TMP/stall.out" &
STALLER=$!
track_pid "$STALLER"
wait_for 20 test -e "$STALL.started" || bad "the stalled transfer started"
out=$(xfrpeer latency "$STALL_PORT" www.example.com --count 10)
expect_eq "UDP and TCP answered beside a stalled transfer" "$(echo "$out" | sed 's/.*answered=//')" 20
expect_le "UDP answers beside a stalled transfer within 200 ms" \
	"$(echo "$out" | sed 's/.*udp_max_ms=\([0-9]*\).*/\1/')" 200
expect_le "TCP answers beside a stalled transfer within 200 ms" \
	"$(echo "$out" | sed 's/.*tcp_max_ms=\([0-9]*\).*/\1/')" 200
wait_for 15 grep -q 'xfr: AXFR big.test. .*cut short: timed out' "$STALL_LOG" ||
	bad "the stalled transfer is cut off after the idle timeout (RFC 7766 section 6.2.3)"
touch "$STALL"
wait "$STALLER" 2>/dev/null
untrack_pid "$STALLER"
expect_eq "the stalled client finds its connection closed" "$(cat "$SYS_TMP/stall.out")" closed

# ---------------------------------------------------------------- TSIG
# An ACL entry with a key: only requests signed with it; every message of the transfer is
# signed, each MAC chained to the one before (RFC 8945 section 5.3.1), which dig and kdig
# verify.
SECRET=SBqANWyYGDr2AMKgRV4Nj2zIHRoFxQDOujF6L7yIC1A=
start_dualnsd --key "xfr.example.:hmac-sha256:$SECRET" --allow-transfer "127.0.0.1:xfr.example" \
	"$ZONE" "$BIG"
out=$(qdig "$PORT" -y "hmac-sha256:xfr.example:$SECRET" big.test AXFR | tail -3)
expect_match "dig -y: a signed AXFR of many messages, every one verified (RFC 8945 section 5.3.1)" \
	"$out" "XFR size: $((BIG_RRS + 1)) records \(messages [0-9]{2,},"
out=$(kdig @127.0.0.1 -p "$PORT" +time=5 -y "hmac-sha256:xfr.example:$SECRET" big.test AXFR 2>&1 | tail -4)
expect_match "kdig -y: the same, verified" "$out" "\($(echo '[0-9]+') messages, $((BIG_RRS + 1)) records\)"
expect_nomatch "kdig -y: no TSIG error" "$out" '^;; (ERROR|WARNING)|failed'
r=$(dnsraw --port "$PORT" --tcp --edns -q big.test/AXFR)
expect_eq "unsigned, from the address of a key entry: REFUSED with EDE 18" \
	"$(kv rcodename "$r"):$(kv ede "$r")" REFUSED:18

# ---------------------------------------------------------------- a client that leaves
out=$(xfrpeer axfr "$MAIN_PORT" big.test --rcvbuf 4096 --close-after 1)
expect_match "the leaving client got the first message" "$out" '^messages=1 '
wait_for 15 grep -Eq 'xfr: AXFR big.test. .*cut short: (client gone|connection closed)' "$MAIN_LOG" ||
	bad "a transfer whose client left is logged as cut short"
out=$(xfrpeer axfr "$MAIN_PORT" example.com | sed 's/messages=[0-9]* //')
expect_match "transfers go on after those" "$out" '^records=[0-9]+ first=[0-9]+ last=[0-9]+ rcode=NOERROR$'

out=$(qdig "$MAIN_PORT" +short CH TXT stats.dualns)
expect_match "completed AXFRs are counted" "$out" '"axfr-out=[1-9]'
expect_match "completed IXFRs are counted" "$out" '"ixfr-out=[1-9]'
DUALNSD_PID=$MAIN_PID
stop_dualnsd

[ "$SYS_FAILS" -eq 0 ] || exit 1
