#!/bin/bash
# contrib/bench/axfr.sh: a whole-zone transfer (AXFR, RFC 5936) of a 1M-record zone to a
# Knot DNS secondary, from dualnsd, from NSD and from Knot as primaries: the transfer's
# time and the memory each primary and the secondary use.
#
# Usage: contrib/bench/axfr.sh [--help]
#   NAMES=500000 (the zone has 2 * NAMES records: gen.py bigzone), ROUNDS=3,
#   PRIMARIES="dualnsd nsd knot" (which, in that order, alternating by round), KEEP_TMP=1.
#
# Each round starts each primary alone with the zone, waits until it serves it, then starts
# a fresh Knot secondary (empty storage) whose only zone has that primary as its master,
# so Knot asks for the whole zone at once. Measured:
#   time     Knot's own figure: its "AXFR, incoming ... finished, S seconds" log line
#   wall     from the secondary's start to its serving the zone's serial (includes
#            Knot's start and the building of its zone after the transfer)
#   p-rss    the primary's memory before the transfer (the zone loaded), MiB: the PSS of
#            its processes (NSD forks a server and xfrd that share the zone's pages)
#   p-peak   the primary's largest PSS while the transfer ran, MiB (sampled every 20 ms
#            from /proc/PID/smaps_rollup), and p-grow = p-peak - p-rss
#   s-peak   the secondary's peak resident memory (VmHWM) once it serves the zone, MiB
#   udp-p99, udp-max  the primary's UDP answers while it transfers: udpprobe.py asks it
#            one question every 5 ms from the secondary's start until the zone is served
#            (milliseconds: 99th percentile and largest; a stalled answer shows here)
# The table gives the median of the rounds. Writes contrib/bench/results/axfr.{txt,csv}.
# Talks only to 127.0.0.1 on free ports; stops everything it started.
# SPDX-License-Identifier: BSD-3-Clause
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
results=$here/results
. "$top/tests/lib/common.sh"

case ${1:-} in
-h | --help)
	sed -n '2,25s/^# \{0,1\}//p' "$0"
	exit 0
	;;
"") ;;
*)
	echo "axfr.sh: unknown option $1 (try --help)" >&2
	exit 2
	;;
esac

NAMES=${NAMES:-500000}
ROUNDS=${ROUNDS:-3}
PRIMARIES=${PRIMARIES:-"dualnsd nsd knot"}
ORIGIN=big.test
for t in nsd knotd kdig python3; do
	command -v "$t" >/dev/null || { echo "axfr.sh: $t is needed (contrib/quickstart.sh test installs it)" >&2; exit 2; }
done
DUALNSD=${DUALNSD:-$top/src/dualnsd}
[ -x "$DUALNSD" ] || { echo "axfr.sh: build dualnsd first (make)" >&2; exit 2; }
log() { printf '%s\n' "$*" >&2; }

if [ "${KEEP_TMP:-0}" = 1 ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/dualns-axfr.XXXXXX")
	log "axfr.sh: keeping $tmp (KEEP_TMP=1)"
else
	new_tmpdir tmp "${TMPDIR:-/tmp}" dualns-axfr
fi
python3 "$here/gen.py" bigzone "$tmp" "$NAMES"
ZONE=$tmp/$ORIGIN.zone
records=$(grep -c ' IN ' "$ZONE")
log "axfr.sh: $ORIGIN with $records records"

# start_NAME DIR PORT: the primary, allowing transfers to 127.0.0.1; sets started_pid.
start_dualnsd() {
	"$DUALNSD" -p "$2" -l 127.0.0.1 --rrl-rate 0 --allow-transfer 127.0.0.1 \
		"$ORIGIN=$ZONE" 2>"$1.log" &
	started_pid=$!
	track_pid "$started_pid"
}
start_nsd() {
	# nsd_start and knot_start write the configuration and start the server; the
	# transfer permission goes into the zone clause, last in both, so write the file with
	# a wrapper that starts nothing (REF_WRAP), add it, and start the server for real.
	REF_WRAP=(true)
	nsd_start "$1" "$1.log" "$2" "$ORIGIN" "$ZONE"
	REF_WRAP=()
	printf '\tprovide-xfr: 127.0.0.1 NOKEY\n' >>"$1/nsd.conf"
	nsd -d -c "$1/nsd.conf" 2>>"$1.log" &
	started_pid=$!
	track_pid "$started_pid"
}
start_knot() {
	REF_WRAP=(true)
	knot_start "$1" "$1.log" "$2" "$ORIGIN" "$ZONE"
	REF_WRAP=()
	# Knot wants the acl defined before the zone that names it.
	sed -i -e 's/^zone:$/acl:\n  - id: local\n    address: 127.0.0.1\n    action: transfer\nzone:/' \
		"$1/knot.conf"
	printf '    acl: local\n' >>"$1/knot.conf"
	knotd -c "$1/knot.conf" 2>>"$1.log" &
	started_pid=$!
	track_pid "$started_pid"
}

# secondary DIR PORT PRIMARY_PORT: a fresh Knot secondary of the zone, no journal; sets
# secondary_pid.
secondary() {
	KNOT_JOURNAL_CONTENT=none knot_secondary_conf "$1" 127.0.0.1 "$2" "$ORIGIN" 127.0.0.1 "$3"
	knotd -c "$1/knot.conf" 2>"$1.log" &
	secondary_pid=$!
	track_pid "$secondary_pid"
}

rss_kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# tree_pss_kib PID: the proportional set size of PID and its descendants (NSD forks its
# server and xfrd processes, which share the zone's pages: PSS counts them once).
tree_pss_kib() {
	local pids=$1 p next=$1 kids
	while [ -n "$next" ]; do
		kids=
		for p in $next; do kids="$kids $(cat /proc/"$p"/task/*/children 2>/dev/null)"; done
		next=$(echo $kids)
		pids="$pids $next"
	done
	for p in $pids; do
		awk '$1 == "Pss:" { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null
	done | awk '{ s += $1 } END { print s + 0 }'
}
serves() { [ "$(kdig @127.0.0.1 -p "$1" +short +timeout=1 +retry=0 "$ORIGIN" SOA 2>/dev/null | awk '{ print $3 }')" = 1 ]; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

csv=$results/axfr.csv
mkdir -p "$results"
echo "round,primary,records,time_s,wall_s,primary_rss_mib,primary_peak_mib,secondary_peak_mib,udp_p99_ms,udp_max_ms" >"$tmp/axfr.csv"
for round in $(seq "$ROUNDS"); do
	for p in $PRIMARIES; do
		d=$tmp/r$round-$p
		mkdir -p "$d"
		port=$(free_port)
		"start_$p" "$d/primary" "$port"
		wait_for 300 serves "$port" || { log "axfr.sh: $p did not serve the zone"; exit 1; }
		pid=$started_pid
		base=$(tree_pss_kib "$pid")
		sport=$(free_port)
		rm -f "$d/stop"
		python3 "$here/udpprobe.py" "$port" "n1.$ORIGIN" "$d/stop" 0.005 >"$d/probe.txt" &
		probe_pid=$!
		t0=$(now_us)
		secondary "$d/secondary" "$sport" "$port"
		peak=$base
		until serves "$sport"; do
			r=$(tree_pss_kib "$pid")
			[ "${r:-0}" -gt "$peak" ] && peak=$r
			kill -0 "$secondary_pid" 2>/dev/null || { log "axfr.sh: the secondary stopped"; cat "$d/secondary.log" >&2; exit 1; }
			[ $(( $(now_us) - t0 )) -lt 600000000 ] || { log "axfr.sh: no transfer from $p in 600 s"; exit 1; }
			sleep 0.02
		done
		wall=$(awk -v us=$(( $(now_us) - t0 )) 'BEGIN { printf "%.2f", us / 1e6 }')
		touch "$d/stop"
		wait "$probe_pid" || true
		p99=$(sed -n 's/.* p99=\([0-9.]*\).*/\1/p' "$d/probe.txt")
		pmax=$(sed -n 's/.* max=\([0-9.]*\).*/\1/p' "$d/probe.txt")
		speak=$(rss_kib "$secondary_pid" VmHWM)
		secs=$(sed -n 's/.*AXFR, incoming.*finished, \([0-9.]*\) seconds.*/\1/p' "$d/secondary.log" | tail -n 1)
		echo "$round,$p,$records,${secs:-NA},$wall,$(mib "$base"),$(mib "$peak"),$(mib "$speak"),${p99:-NA},${pmax:-NA}" >>"$tmp/axfr.csv"
		log "axfr.sh: round $round $p: AXFR ${secs:-?} s (wall $wall s), primary $(mib "$base") -> $(mib "$peak") MiB, secondary peak $(mib "$speak") MiB, UDP p99 ${p99:-?} ms max ${pmax:-?} ms"
		stop_pid "$secondary_pid"
		stop_pid "$pid"
		rm -rf "$d"
	done
done
cp "$tmp/axfr.csv" "$csv"

# The medians per primary.
{
	echo "AXFR of $ORIGIN ($records records) to a Knot DNS secondary on 127.0.0.1, $ROUNDS rounds, medians"
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs; $("$DUALNSD" --version 2>&1 | head -n 1); $(nsd -v 2>&1 | head -n 1); $(knotd --version 2>&1 | head -n 1)"
	echo
	printf '%-8s %9s %9s %10s %10s %10s %11s %8s %8s\n' primary "time s" "wall s" "p-rss MiB" "p-peak MiB" \
		"p-grow MiB" "s-peak MiB" "udp-p99" "udp-max"
	for p in $PRIMARIES; do
		awk -F, -v p="$p" '
			function median(a, n,   i, j, t) {
				for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
				return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
			}
			$2 == p { n++; t[n] = $4; w[n] = $5; r[n] = $6; k[n] = $7; g[n] = $7 - $6; s[n] = $8; q[n] = $9; x[n] = $10 }
			END { printf "%-8s %9.2f %9.2f %10.1f %10.1f %10.1f %11.1f %8.2f %8.2f\n", p, median(t, n), median(w, n), median(r, n), median(k, n), median(g, n), median(s, n), median(q, n), median(x, n) }
		' "$csv"
	done
} | tee "$results/axfr.txt"
