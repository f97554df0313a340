#!/bin/bash
# contrib/bench/sweep.sh: CPU per query and latency of dualnsd, NSD, Knot DNS and the UDP echo
# from a light load to saturation, with the servers pinned and unpinned.
#
# Usage: contrib/bench/sweep.sh [--quick] [--help]
#   LOADS="10000 25000 50000 100000 200000 sat": the offered loads (dnsperf -Q; sat: no limit).
#   ROUNDS=3 DURATION=5: rounds, and seconds per point; each round runs every placement, load
#   and server once, the servers in turn, the first rotating by round and load (round_order).
#   KEEP_TMP=1 keeps the temporary folder.
#   PLACEMENTS="pinned unpinned": pinned is run.sh's (server on CPU 1, dnsperf on CPU 0);
#   unpinned leaves both free on CPUs 0 and 1 (the scheduler places them).
#   BEFORE=/path/to/dualnsd: also that (older) build, as server "before", paired by round;
#   BEFORE_NAME=reader names it otherwise (a build with reader-only.patch: the UDP reader
#   alone, answering as the echo does, to tell the reader's cost from the answers').
#   BENCH_LOCK=/tmp/bench.lock: the file held (flock) during each point so that another
#   benchmark on the machine never measures at the same time (empty: no lock).
#   SERVERS="dualnsd nsd knot echo": the servers to measure (a subset, in that order).
#   SPIN_NS=N: also "spin", the echo spending N ns of CPU per datagram (echo.c's
#   ECHO_SPIN_NS), reported over the echo: what N ns of answer work costs at each load.
#   POOL=/path/sweep.csv: an earlier run's CSV (same servers, loads and placements), whose
#   rounds are added to this run's: the report then covers both runs, paired by round.
#   --quick    ROUNDS=1 DURATION=2: a smoke run of about 2 minutes
# Per point: the server's utime + stime over the queries answered, the median and 99th
# percentile latency of the answers (dnsperf -v prints each one) and the qps reached.
# Writes contrib/bench/results/sweep.{txt,csv,png}. Talks only to 127.0.0.1.
# SPDX-License-Identifier: BSD-3-Clause
set -eu

here=$(cd "$(dirname "$0")" && pwd)
me=sweep.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
extra_option() { return 1; }
# Shorter points than run.sh's: a sweep has many (5 s is steady for CPU per query here).
case " $* " in *" --quick "*) DURATION=${DURATION:-2} ;; *) DURATION=${DURATION:-5} ;; esac
bench_options 16 "$@"
LOADS=${LOADS:-10000 25000 50000 100000 200000 sat}
PLACEMENTS=${PLACEMENTS:-pinned unpinned}
BENCH_LOCK=${BENCH_LOCK-/tmp/bench.lock}

bench_tools "dnsperf:dnsperf nsd:nsd knotd:knot knotc:knot gnuplot:gnuplot-nox python3:python3
cc:gcc taskset:util-linux getconf:libc-bin flock:util-linux"
bench_dualnsd
bench_before
bench_tmp dualns-sweep

log "$me: generating the zone and queries in $tmp"
python3 "$here/gen.py" zone "$tmp"
python3 "$here/gen.py" queries "$tmp" 100000
cc -O2 -o "$tmp/echo" "$here/echo.c"
SERVERS=${SERVERS:-dualnsd nsd knot echo}
case ${SPIN_NS:-} in
'') spin_server="" ;;
*[!0-9]*) log "$me: SPIN_NS=$SPIN_NS: give nanoseconds (a whole number)"; exit 2 ;;
*) spin_server=spin ;;
esac
servers="$SERVERS${spin_server:+ $spin_server}${before_server:+ $before_server}"
# shellcheck disable=SC2086
serve_all bench.test "$tmp/bench.test.zone" h1.bench.test $servers

# place PLACEMENT: the CPUs of the servers (moved at once, every thread) and of dnsperf.
place() {
	case $1 in
	pinned) SERVER_CPU=1 LOAD_CPU=0 ;;
	unpinned) SERVER_CPU=0,1 LOAD_CPU=0,1 ;;
	*) log "$me: unknown placement $1 (pinned, unpinned)"; exit 2 ;;
	esac
	for s in $servers; do pin_tree "${pid[$s]}"; done
}

# latency OUT: "p50 p99" in milliseconds over the answers dnsperf -v listed ("> RCODE ...
# SECONDS"; a timed-out query has no time and is counted lost, not here), by microsecond.
latency() {
	awk '$1 == ">" && $NF ~ /^[0-9.]+$/ { h[int($NF * 1e6 + 0.5)]++; n++ }
		END {
			if (!n) exit
			for (u = 0; c < n * 0.99; u++) {
				c += h[u]
				if (p50 == "" && c >= n * 0.5) p50 = u
			}
			printf "%.3f %.3f\n", p50 / 1000, (u - 1) / 1000
		}' "$1"
}

# point PLACEMENT LOAD SERVER ROUND: one dnsperf run at LOAD; records cpu, p50, p99 and qps
# under KEY.PLACEMENT.LOAD, and a CSV row.
point() {
	local pl=$1 q=$2 s=$3 r=$4 o k rate="" lat qps lost
	o=$tmp/p.$pl.$q.$s.$r k=$pl.$q
	[ "$q" = sat ] || rate="-Q $q"
	bench_lock
	# shellcheck disable=SC2086
	cpu_per_query "cpu.$k" "$s" "$r" "$o" $UDP_OPTS $rate -v
	bench_unlock
	lat=$(latency "$o")
	qps=$(field "$o" 'Queries per second') lost=$(field "$o" 'Queries lost')
	record "p50.$k" "$s" "${lat% *}"
	record "p99.$k" "$s" "${lat#* }"
	record "qps.$k" "$s" "$qps"
	echo "$r,$pl,$q,$s,$qps,$cpq_n,$lost,$cpq_us,${lat% *},${lat#* }" >>"$csv"
	log "$me:   latency p50 ${lat% *} ms, p99 ${lat#* } ms, lost $lost"
	rm -f "$o"
}

csv=$tmp/sweep.csv
echo "round,placement,offered_qps,server,qps,answered,lost,cpu_us_per_query,latency_p50_ms,latency_p99_ms" >"$csv"
start_date=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$ROUNDS"); do
	for pl in $PLACEMENTS; do
		place "$pl"
		li=0
		for q in $LOADS; do
			# shellcheck disable=SC2086
			for s in $(round_order $((r - 1 + li)) $servers); do
				log "$me: round $r/$ROUNDS, $pl, offered ${q/sat/saturation}: $s"
				point "$pl" "$q" "$s" "$r"
			done
			li=$((li + 1))
		done
	done
done

# pool_check FILE: the earlier run's CSV holds the same number of rounds (one or more) for
# every placement, load and server of this run, so its rounds pair as this run's do.
pool_check() {
	awk -F, -v want="$servers" -v loads="$LOADS" -v pls="$PLACEMENTS" '
		$1 ~ /^[0-9]+$/ { n[$2 "," $3 "," $4]++ }
		END {
			ns = split(want, sv, " "); nl = split(loads, lv, " "); np = split(pls, pv, " ")
			for (p = 1; p <= np; p++) for (l = 1; l <= nl; l++) for (i = 1; i <= ns; i++) {
				c = n[pv[p] "," lv[l] "," sv[i]] + 0
				if (c == 0 || (rounds != "" && c != rounds)) { print pv[p] " " lv[l] " " sv[i] ": " c " rounds"; exit 1 }
				rounds = c
			}
			print rounds
		}' "$1"
}
# pool FILE: adds the earlier run's rounds, after this run's, to the figures and the CSV.
pool() {
	local r pl q s qps n lost cpu p50 p99 k
	while IFS=, read -r r pl q s qps n lost cpu p50 p99; do
		case " $servers " in *" $s "*) ;; *) continue ;; esac
		case " $PLACEMENTS " in *" $pl "*) ;; *) continue ;; esac
		case " $LOADS " in *" $q "*) ;; *) continue ;; esac
		k=$pl.$q
		record "cpu.$k" "$s" "$cpu"
		record "p50.$k" "$s" "$p50"
		record "p99.$k" "$s" "$p99"
		record "qps.$k" "$s" "$qps"
		echo "$((r + ROUNDS)),$pl,$q,$s,$qps,$n,$lost,$cpu,$p50,$p99" >>"$csv"
	done < <(awk -F, '$1 ~ /^[0-9]+$/' "$1")
}
pooled=""
if [ -n "${POOL:-}" ]; then
	pool_rounds=$(pool_check "$POOL") || { log "$me: POOL=$POOL does not hold this run's points ($pool_rounds)"; exit 2; }
	pool "$POOL"
	pooled=" and $pool_rounds from $POOL (an earlier run: $(sed -n 's/^dualns load sweep, //p' "${POOL%.csv}.txt" 2>/dev/null | head -n 1))"
	ROUNDS=$((ROUNDS + pool_rounds))
fi

# --- report -------------------------------------------------------------------------------------
machine_versions
mkdir -p "$results"
cp "$csv" "$results/sweep.csv"
load_label() { case $1 in sat) echo saturated ;; *) awk -v q="$1" 'BEGIN { printf "%gk", q / 1000 }' ;; esac; }
# table TITLE FORMAT METRIC PLACEMENT: one row per load, the servers' medians.
table() {
	local q s row
	printf '  %-34s' "$1"
	for s in $servers; do printf ' %9s' "$s"; done
	echo
	for q in $LOADS; do
		row=$(printf '  %-34s' "$(load_label "$q")")
		for s in $servers; do row="$row $(printf '%9s' "$(fmt_num "$2" "$(median "$tmp/val.$3.$4.$q.$s")")")"; done
		echo "$row"
	done
}
{
	echo "dualns load sweep, $start_date"
	echo "machine: $machine"
	echo "software: $versions"
	echo "load average before the run: $load_before (the machine may be shared)"
	echo "method: $ROUNDS rounds of $DURATION s per point, servers in turn (the first rotating by round and load), medians;"
	[ -z "$pooled" ] || echo "  pooled: $((ROUNDS - pool_rounds)) rounds of this run$pooled"
	[ -z "$spin_server" ] || echo "  spin: the echo spending $SPIN_NS ns of CPU per datagram"
	echo "  every server on 127.0.0.1, one worker, rate limiting off; dnsperf $UDP_OPTS -v, at -Q LOAD"
	echo "  (saturated: no -Q); pinned: servers on CPU 1, dnsperf on CPU 0; unpinned: both free on CPUs 0-1;"
	echo "  CPU: the server's utime+stime over the queries answered; latency: dnsperf's time per answer"
	for pl in $PLACEMENTS; do
		echo
		echo "== $pl =="
		table "CPU per query (us), offered load" "%.2f" cpu "$pl"
		table "latency median (ms)" "%.3f" p50 "$pl"
		table "latency 99th percentile (ms)" "%.3f" p99 "$pl"
		table "qps reached" "%.0f" qps "$pl"
		echo "  CPU per query, dualnsd${spin_server:+ (and the spin echo)} / the other server, paired by round (median, lowest-highest):"
		for q in $LOADS; do
			row=$(printf '    %-10s' "$(load_label "$q")")
			if [ -n "$spin_server" ]; then
				row="$row $(printf 'spin/echo %-17s' "$(paired "cpu.$pl.$q" echo spin)")"
				echo "paired_cpu,$pl,$q,spin/echo,,,,$(paired "cpu.$pl.$q" echo spin | cut -d' ' -f1),," >>"$results/sweep.csv"
			fi
			case " $servers " in *" dualnsd "*) ;; *) echo "$row"; continue ;; esac
			for o in echo nsd knot $before_server; do
				row="$row $(printf '/%-5s %-17s' "$o" "$(paired "cpu.$pl.$q" "$o")")"
				echo "paired_cpu,$pl,$q,dualnsd/$o,,,,$(paired "cpu.$pl.$q" "$o" | cut -d' ' -f1),," >>"$results/sweep.csv"
			done
			echo "$row"
		done
	done
} | tee "$results/sweep.txt"

# --- chart: CPU per query against the offered load, one line per server, a panel per placement --
gp=$tmp/sweep.gp
{
	echo "set terminal pngcairo size 1400,560 font 'sans,10'"
	echo "set output '$results/sweep.png'"
	echo "set multiplot layout 1,$(echo "$PLACEMENTS" | wc -w) title \"dualns load sweep: CPU per query, one worker each ($start_date, $ROUNDS rounds of $DURATION s, medians)\" font 'sans,11'"
	echo "set grid ytics"
	# One scale for every panel, so that the placements compare at a glance.
	echo "set yrange [0:$(cat "$tmp"/val.cpu.* | sort -g | tail -n 1 | awk '{ print $1 * 1.1 }')]"
	echo "set xlabel 'offered load (qps)'"
	echo "set ylabel 'server CPU per query (us), lower is better'"
	echo "set key top right"
} >"$gp"
for pl in $PLACEMENTS; do
	dat=$tmp/chart.$pl.dat
	i=0
	for q in $LOADS; do
		row="$i $(load_label "$q")"
		for s in $servers; do
			v=$(median "$tmp/val.cpu.$pl.$q.$s")
			row="$row ${v:-NaN}"
		done
		echo "$row" >>"$dat"
		i=$((i + 1))
	done
	plot="" c=3
	for s in $servers; do
		case $s in dualnsd) col=0xcc6633 ;; nsd) col=0x4477aa ;; knot) col=0x44aa77 ;; echo) col=0x999999 ;; *) col=0xaa44aa ;; esac
		plot="$plot${plot:+, }'$dat' using 1:$c:xtic(2) with linespoints lw 2 pt 7 lc rgb '#${col#0x}' title '$s'"
		c=$((c + 1))
	done
	case $pl in
	pinned) title="pinned: server on CPU 1, dnsperf on CPU 0" ;;
	*) title="unpinned: server and dnsperf free on CPUs 0-1" ;;
	esac
	echo "set title '$title'" >>"$gp"
	echo "plot $plot" >>"$gp"
done
gnuplot "$gp" 2>"$tmp/gnuplot.log" || { log "$me: gnuplot failed:"; cat "$tmp/gnuplot.log" >&2; }
log "$me: wrote $results/sweep.txt, sweep.csv and sweep.png"
