#!/bin/bash
# contrib/bench/flood.sh: a forged flood naming one victim, against dualnsd, NSD and Knot DNS
# with the same rate-limit settings: what the victim gets back, and what real clients get.
#
# Usage: contrib/bench/flood.sh [--help]
#   DURATION=10 (seconds of flood per server), RATE=200 (answers per second per bucket),
#   SLIP=2 (every 2nd limited answer slips out empty with TC=1), CLIENTS=64 (the flood's
#   source ports), PROBES=10 (queries of each real client per server), KEEP_TMP=1,
#   SERVERS="dualnsd_off dualnsd_rrl dualnsd_rrl2 nsd knot" (which, in that order).
#
# The flood: dnsperf sending from 127.0.0.2 (the victim) on CLIENTS sockets, so the source
# ports vary and SO_REUSEPORT spreads it over dualnsd's workers, as fast as the machine
# goes, one name whose answer is about 950 bytes (medium.example.com TXT, EDNS): the
# amplifier's favourite. Bytes in and out are DNS payloads (dnsperf's average sizes times
# the counts). Meanwhile two real clients ask the same question with dig:
#   127.0.0.9, in the victim's /24: its answers share the victim's bucket; a slip's TC sends
#   dig to TCP, which a forger cannot use (dig: +tries=8 +timeout=1, UDP then TCP; each
#   limited UDP try slips one time in SLIP, else it is dropped and dig tries again);
#   127.1.0.9, another /24: never limited (dig +ignore: a TC would show, not be retried).
# Servers: dualnsd with rate limiting off (the amplifier), dualnsd with --rrl-rate RATE
# --rrl-slip SLIP (one worker and two), NSD (rrl-ratelimit, rrl-slip) and Knot (mod-rrl
# rate-limit, slip), each alone on the machine in turn.
# Writes contrib/bench/results/flood.{txt,csv}. Talks only to 127.0.0.0/8.
# SPDX-License-Identifier: BSD-3-Clause
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
results=$here/results
. "$top/tests/lib/common.sh"

case ${1:-} in
-h | --help)
	sed -n '2,23s/^# \{0,1\}//p' "$0"
	exit 0
	;;
"") ;;
*)
	echo "flood.sh: unknown option $1 (try --help)" >&2
	exit 2
	;;
esac

DURATION=${DURATION:-10}
RATE=${RATE:-200}
SLIP=${SLIP:-2}
CLIENTS=${CLIENTS:-64}
PROBES=${PROBES:-10}
VICTIM=127.0.0.2
NEIGHBOUR=127.0.0.9
STRANGER=127.1.0.9
QNAME=medium.example.com
ZONE=$top/zones/example.com.zone

for t in dnsperf nsd knotd dig; do
	command -v "$t" >/dev/null || { echo "flood.sh: $t is needed (contrib/quickstart.sh test installs it)" >&2; exit 2; }
done
log() { printf '%s\n' "$*" >&2; }
DUALNSD=$top/src/dualnsd
[ -x "$DUALNSD" ] || { echo "flood.sh: build dualnsd first (make)" >&2; exit 2; }

if [ "${KEEP_TMP:-0}" = 1 ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/dualns-flood.XXXXXX")
	log "flood.sh: keeping $tmp (KEEP_TMP=1)"
else
	new_tmpdir tmp "${TMPDIR:-/tmp}" dualns-flood
fi
printf '%s TXT\n' "$QNAME" >"$tmp/flood.txt"

# start_SERVER NAME PORT: started in the background, tracked; sets started_pid.
start_dualnsd_off() { start_dual "$1" "$2" --rrl-rate 0; }
start_dualnsd_rrl() { start_dual "$1" "$2" --rrl-rate "$RATE" --rrl-slip "$SLIP"; }
start_dualnsd_rrl2() { start_dual "$1" "$2" --rrl-rate "$RATE" --rrl-slip "$SLIP" --workers 2; }
start_dual() {
	local name=$1 p=$2
	shift 2
	"$DUALNSD" -p "$p" -l 127.0.0.1 "$@" "example.com=$ZONE" 2>"$tmp/$name.log" &
	started_pid=$!
	track_pid "$started_pid"
}
start_nsd() {
	# nsd_start writes rrl-ratelimit: 0; NSD takes the last value of a repeated key.
	nsd_start "$tmp/$1" "$tmp/$1.log" "$2" example.com "$ZONE" \
		"rrl-ratelimit: $RATE" "rrl-slip: $SLIP" "rrl-ipv4-prefix-length: 24"
	started_pid=$NSD_PID
}
start_knot() {
	# mod-rrl for every zone with the same rate and slip (Knot's prefixes are /24 and /56).
	KNOT_MODULE=$'mod-rrl:\n  - id: ref\n    rate-limit: '"$RATE"$'\n    slip: '"$SLIP" \
		knot_start "$tmp/$1" "$tmp/$1.log" "$2" example.com "$ZONE"
	started_pid=$KNOT_PID
}

field() { # FILE LABEL: the first number after "LABEL:" in dnsperf's statistics
	sed -n "s/^ *$2: *\([0-9.]*\).*/\1/p" "$1" | head -1
}
avg_size() { # FILE request|response
	sed -n "s/^ *Average packet size: *request \([0-9]*\), response \([0-9]*\).*/\1 \2/p" "$1" |
		awk -v w="$2" '{ print (w == "request" ? $1 : $2) }'
}

# probe SERVER PORT: the two real clients' questions, PROBES each, during the flood.
probe() {
	local name=$1 p=$2 i out
	: >"$tmp/$name.neighbour" >"$tmp/$name.stranger"
	for i in $(seq "$PROBES"); do
		out=$(dig -b "$NEIGHBOUR" -p "$p" @127.0.0.1 "$QNAME" TXT +tries=8 +timeout=1 2>&1) || true
		{
			case $out in *"status: NOERROR"*"ANSWER: "[1-9]*) echo answered ;; *) echo failed ;; esac
			case $out in *"retrying in TCP mode"*) echo via-tcp ;; esac
		} >>"$tmp/$name.neighbour"
		out=$(dig -b "$STRANGER" -p "$p" @127.0.0.1 "$QNAME" TXT +ignore +tries=1 +timeout=1 2>&1) || true
		case $out in
		*"flags: qr aa tc"* | *" tc"*";"*) echo slipped ;;
		*"status: NOERROR"*"ANSWER: "[1-9]*) echo answered ;;
		*) echo failed ;;
		esac >>"$tmp/$name.stranger"
	done
}

csv=$tmp/flood.csv
echo "server,sent,answered,answered_share,request_bytes,response_bytes,amplification,neighbour_answered,neighbour_via_tcp,stranger_answered,stranger_slipped,probes" >"$csv"
servers=${SERVERS:-dualnsd_off dualnsd_rrl dualnsd_rrl2 nsd knot}
for s in $servers; do
	p=$(free_port)
	"start_$s" "$s" "$p"
	pid=$started_pid
	if ! wait_soa "$p" example.com 30; then
		log "flood.sh: $s did not answer on port $p:"
		cat "$tmp/$s.log" >&2
		exit 1
	fi
	log "flood.sh: $s: flooding for $DURATION s as $VICTIM from $CLIENTS ports"
	dnsperf -s 127.0.0.1 -p "$p" -a "$VICTIM" -d "$tmp/flood.txt" -e -c "$CLIENTS" -T 1 \
		-l "$DURATION" -q 20000 -t 1 >"$tmp/$s.dnsperf" 2>&1 &
	flood_pid=$!
	track_pid "$flood_pid"
	probe "$s" "$p"
	wait "$flood_pid" || true
	untrack_pid "$flood_pid"
	stop_pid "$pid"
	sent=$(field "$tmp/$s.dnsperf" "Queries sent")
	done_=$(field "$tmp/$s.dnsperf" "Queries completed")
	req=$(avg_size "$tmp/$s.dnsperf" request)
	resp=$(avg_size "$tmp/$s.dnsperf" response)
	awk -v s="$s" -v sent="${sent:-0}" -v d="${done_:-0}" -v q="${req:-0}" -v r="${resp:-0}" \
		-v na="$(grep -c '^answered' "$tmp/$s.neighbour")" -v nt="$(grep -c '^via-tcp' "$tmp/$s.neighbour")" \
		-v sa="$(grep -c '^answered' "$tmp/$s.stranger")" -v ss="$(grep -c '^slipped' "$tmp/$s.stranger")" \
		-v n="$PROBES" 'BEGIN {
		printf "%s,%d,%d,%.3f,%d,%d,%.3f,%d,%d,%d,%d,%d\n", s, sent, d, (sent ? d / sent : 0),
			sent * q, d * r, (sent * q ? d * r / (sent * q) : 0), na, nt, sa, ss, n }' >>"$csv"
done

mkdir -p "$results"
cp "$csv" "$results/flood.csv"
{
	echo "flood.sh: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs; $DURATION s of dnsperf from $VICTIM ($CLIENTS ports) asking $QNAME TXT (EDNS)"
	echo "  rate limit: $RATE/s per bucket, slip $SLIP; real clients: $NEIGHBOUR (victim's /24), $STRANGER (another /24), $PROBES dig queries each"
	echo "  $(nsd -v 2>&1 | head -1); Knot DNS $(knotd --version 2>&1 | awk '{ print $NF; exit }'); dualnsd $(git -C "$top" describe --always --dirty 2>/dev/null || echo '?')"
	echo
	printf '%-13s %10s %10s %8s %14s %14s %8s  %-14s %-14s\n' server sent answered share "bytes in" "bytes out" "out/in" "$NEIGHBOUR" "$STRANGER"
	tail -n +2 "$csv" | while IFS=, read -r s sent d share qb rb amp na nt sa ss n; do
		printf '%-13s %10d %10d %8s %14d %14d %8s  %2d/%d (%d tcp)  %2d/%d (%d tc)\n' \
			"$s" "$sent" "$d" "$share" "$qb" "$rb" "$amp" "$na" "$n" "$nt" "$sa" "$n" "$ss"
	done
	echo
	echo "share: answers the victim got per query sent; out/in: DNS bytes the victim got per byte"
	echo "the flood sent (1.0 or less: no amplification). Real clients: answered of asked (how many"
	echo "went to TCP after a TC), and for the other /24 how many UDP answers came back with TC."
} | tee "$results/flood.txt"
