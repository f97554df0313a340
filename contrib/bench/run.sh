#!/bin/bash
# contrib/bench/run.sh: dualnsd against NSD, Knot DNS and a UDP echo, same zone, same load, one table.
#
# Usage: contrib/bench/run.sh [--quick] [--profile] [--help]
#   ROUNDS=3 DURATION=10 BIG_NAMES=500000 (environment) set the rounds, seconds per run and the
#   size of the big zone (BIG_NAMES names, each with A + TXT); KEEP_TMP=1 keeps the temporary
#   folder (zones, configs, every dnsperf output and server log) for a look afterwards;
#   OTHER_MAX=10 RETRIES=2: a UDP run is repeated when other work took over 10% of the server CPU.
#   CAP_PCT=50: the capped UDP run gives each server that % of one CPU (a cgroup; needs root).
#   SKIP="big cg": leave out the big-zone runs and/or callgrind.
#   BEFORE=/path/to/dualnsd: also run that (older) build in every UDP round, as server
#   "before", and print dualnsd / before paired by round (a change's cost, same rounds).
#   RRL_RATE=N: dualnsd with rate limiting at N answers/s per bucket (default 0: off; the
#   "before" server always off). BEFORE=src/dualnsd RRL_RATE=1000000: what it costs.
#   --quick    ROUNDS=1 DURATION=3 BIG_NAMES=100000: a smoke run of about 2 minutes
#   --profile  also profile dualnsd with perf under the UDP load and print its top functions
# Writes contrib/bench/results/latest.{txt,csv,png}; everything else goes to a temporary folder.
# Talks only to 127.0.0.1. Needs root only to install missing packages.
# SPDX-License-Identifier: BSD-3-Clause
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# What the benchmark scripts share (with tests/lib/common.sh: free_port, the NSD and Knot
# configurations, processes stopped on exit): options, settings, tools, servers, figures.
me=run.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
profile=0
extra_option() { # --profile, beside lib.sh's --quick and --help
	[ "$1" = --profile ] && profile=1
}
bench_options 17 "$@"
CG_QUERIES=${CG_QUERIES:-20000}
TCP_OPTS="-m tcp -T 1 -c 16 -q 256 -t 1"
FIXED_QPS=100000

# --- tools --------------------------------------------------------------------------------------
needs="dnsperf:dnsperf nsd:nsd knotd:knot knotc:knot gnuplot:gnuplot-nox valgrind:valgrind
callgrind_annotate:valgrind dig:bind9-dnsutils python3:python3 cc:gcc taskset:util-linux
getconf:libc-bin"
[ $profile = 1 ] && needs="$needs perf:linux-perf"
bench_tools "$needs"
bench_dualnsd

# --- temporary folder and cleanup ---------------------------------------------------------------
bench_tmp dualns-bench

# --- inputs -------------------------------------------------------------------------------------
log "run.sh: generating zones and queries in $tmp"
python3 "$here/gen.py" zone "$tmp"
python3 "$here/gen.py" queries "$tmp" 100000
python3 "$here/gen.py" bigzone "$tmp" "$BIG_NAMES"
cc -O2 -o "$tmp/echo" "$here/echo.c"
mkdir -p "$tmp/cg"
python3 "$here/gen.py" queries "$tmp/cg" "$CG_QUERIES"

bench_before
servers="dualnsd nsd knot echo${before_server:+ $before_server}"
# shellcheck disable=SC2086
serve_all bench.test "$tmp/bench.test.zone" h1.bench.test $servers
# Same answers everywhere: the RCODE mix of a small pass must agree (the echo excepted).
rcode_check "$tmp/cg/queries.bin" dualnsd nsd knot

# --- measurements -------------------------------------------------------------------------------
cap_setup || true
start_date=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$ROUNDS"); do
	# shellcheck disable=SC2086
	for s in $(round_order $((r - 1)) $servers); do
		# shellcheck disable=SC2086
		udp_saturated udp "$s" "$r" "$tmp/udp.$s.$r" $UDP_OPTS
	done
	# shellcheck disable=SC2086
	for s in $(round_order $((r - 1)) $servers); do
		# shellcheck disable=SC2086
		udp_capped capped "$s" "$r" "$tmp/capped.$s.$r" $UDP_OPTS
	done
	# shellcheck disable=SC2086
	for s in $(round_order $((r - 1)) $servers); do
		# shellcheck disable=SC2086
		cpu_per_query cpu "$s" "$r" "$tmp/cpu.$s.$r" $UDP_OPTS -Q $FIXED_QPS
	done
	for s in $(round_order $((r - 1)) dualnsd nsd knot); do
		o=$tmp/tcp.$s.$r
		# shellcheck disable=SC2086
		dnsperf_run "$s" "$o" $TCP_OPTS
		record tcp "$s" "$(field "$o" 'Queries per second')"
		log "run.sh: round $r/$ROUNDS tcp $s: $(field "$o" 'Queries per second') qps, lost $(field "$o" 'Queries lost')"
	done
done

# --- profile (optional): where dualnsd spends its time under the UDP load ----------------------
if [ $profile = 1 ]; then
	log "run.sh: profiling dualnsd under the UDP load for $DURATION s"
	perf record -q -g -F 999 -o "$tmp/perf.data" -p "${pid[dualnsd]}" -- sleep "$DURATION" >/dev/null 2>&1 &
	perf_pid=$!
	sleep 0.2
	# shellcheck disable=SC2086
	dnsperf_run dualnsd "$tmp/udp.profile" $UDP_OPTS
	wait $perf_pid || true
	perf report -i "$tmp/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null |
		awk '/^ +[0-9.]+%/ { printf "  %7s  %-28s %s\n", $1, $2, $4 }' >"$tmp/profile.all" || true
	head -20 "$tmp/profile.all" >"$tmp/profile.txt"
	awk '{ sub("%", "", $1); if ($2 == "[kernel.kallsyms]") k += $1; else u += $1 }
		END { printf "  kernel %.1f%%, user space %.1f%% of the samples\n", k, u }' "$tmp/profile.all" >>"$tmp/profile.txt"
fi

# The small-zone servers are done: stop them before the big-zone runs.
for s in $servers; do
	stop_pid "${pid[$s]}" 10
done

# --- the big zone: time to the first answer and memory -----------------------------------------
big_last="n$((BIG_NAMES - 1)).big.test"
skipping big && log "run.sh: big zone skipped (SKIP)"
for r in $(seq "$ROUNDS"); do
	skipping big && break
	for s in dualnsd nsd knot; do
		load_measure "$s" "$r" "$tmp/big.test.zone" "$big_last" A
	done
done

# --- callgrind: instructions per query for dualnsd ---------------------------------------------
# Two runs under callgrind with the same start-up, one answering CG_QUERIES queries from a
# fixed file and one answering none (only the readiness probe); the difference over the
# queries answered is the whole user-space cost of a query (libev, syscall wrappers, parse,
# lookup, encode). query_process's inclusive cost per query is the DNS part alone.
cg_run() { # NAME QUERIES?: sets cg_total, cg_qp (query_process inclusive), cg_n
	local p f
	p=$(free_port)
	# shellcheck disable=SC2086
	taskset -c $SERVER_CPU valgrind --tool=callgrind --callgrind-out-file="$tmp/cg/$1.out" \
		"$DUALNSD" $DUALNSD_OPTS -p "$p" -l 127.0.0.1 "bench.test=$tmp/bench.test.zone" 2>"$tmp/cg/$1.log" &
	cg_pid=$!
	track_pid "$cg_pid"
	python3 "$here/ready.py" "$p" h1.bench.test 120 >/dev/null
	cg_n=0
	if [ "$2" = yes ]; then
		taskset -c $LOAD_CPU dnsperf -B -d "$tmp/cg/queries.bin" -s 127.0.0.1 -p "$p" -n 1 -c 1 -q 10 -t 10 >"$tmp/cg/$1.dnsperf" 2>&1 || true
		cg_n=$(field "$tmp/cg/$1.dnsperf" 'Queries completed')
	fi
	stop_pid "$cg_pid" 10
	f=$tmp/cg/$1.out
	cg_total=$(awk '/^(summary|totals):/ { print $2; exit }' "$f")
	cg_qp=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null | awk '/[ :]query_process( |$)/ { gsub(",", "", $1); print $1; exit }')
}
cg_ipq=""
cg_qp_ipq=""
cg_answered=0
if ! skipping cg; then
	log "run.sh: callgrind: dualnsd answering $CG_QUERIES queries, then a baseline with none"
	cg_run load yes
	cg_load=$cg_total cg_qp_load=${cg_qp:-0} cg_answered=$cg_n
	cg_run base no
	cg_base=$cg_total
fi
if [ "${cg_answered:-0}" -gt 0 ]; then
	cg_ipq=$(awk -v a="$cg_load" -v b="$cg_base" -v n="$cg_answered" 'BEGIN { printf "%.0f", (a - b) / n }')
	cg_qp_ipq=$(awk -v a="$cg_qp_load" -v n="$cg_answered" 'BEGIN { printf "%.0f", a / n }')
fi

# --- report -------------------------------------------------------------------------------------
machine_versions

big_label=$(awk -v n="$BIG_NAMES" 'BEGIN { r = 2 * n; if (r >= 1e6 && r % 1e6 == 0) printf "%dM", r / 1e6; else printf "%dk", r / 1e3 }')
# metric key, label, unit, value format, better (hi/lo), target ratios (vs NSD, vs Knot)
metrics="udp|UDP qps, saturated|qps|%.0f|hi||
capped|UDP qps, server at $CAP_PCT% CPU|qps|%.0f|hi|>= 1.10|>= 1.25
tcp|TCP qps, pipelined|qps|%.0f|hi|>= 1.00|
cpu|CPU per query at 100k qps|us|%.2f|lo|<= 1.00|
load|$big_label zone: load to answer|s|%.2f|lo||<= 2.00
rss|$big_label zone: resident memory|MB|%.0f|lo||< 1.00"
csv=$results/latest.csv
echo "metric,unit,dualnsd,nsd,knot,echo,dualnsd_per_nsd,dualnsd_per_knot,target_per_nsd,target_per_knot" >"$csv"
{
	echo "dualns benchmark, $start_date"
	echo "machine: $machine"
	echo "software: $versions"
	echo "load average before the run: $load_before (the machine may be shared)"
	echo "method: $ROUNDS rounds of $DURATION s per run, servers in turn (the first rotating by round), medians;"
	echo "  every server on 127.0.0.1, one worker, pinned to CPU $SERVER_CPU; dnsperf pinned to CPU $LOAD_CPU;"
	echo "  UDP: dnsperf $UDP_OPTS; TCP: dnsperf $TCP_OPTS; CPU: utime+stime at dnsperf -Q $FIXED_QPS;"
	echo "  big zone: $BIG_NAMES names, A + TXT each ($((BIG_NAMES * 2)) records), time from start to the first"
	echo "  answer for its last name (polled every 10 ms), memory 1 s later (VmRSS; NSD: Pss summed over its processes)"
	echo "query mix (per query file):"
	sed 's/^/  /' "$tmp/mix.txt"
	echo
	printf '%-32s %10s %10s %10s %10s %9s %9s  %s\n' "" dualnsd NSD Knot echo "/NSD" "/Knot" "target"
	echo "$metrics" | while IFS='|' read -r key label unit fmt better tn tk; do
		d=$(median "$tmp/val.$key.dualnsd") n=$(median "$tmp/val.$key.nsd") k=$(median "$tmp/val.$key.knot") e=$(median "$tmp/val.$key.echo")
		rn=$(awk -v a="$d" -v b="$n" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b }')
		rk=$(awk -v a="$d" -v b="$k" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b }')
		printf '%-32s %10s %10s %10s %10s %9s %9s  %s\n' "$label ($unit)" "$(fmt_num "$fmt" "$d")" "$(fmt_num "$fmt" "$n")" \
			"$(fmt_num "$fmt" "$k")" "$(fmt_num "$fmt" "$e")" \
			"${rn:--}" "${rk:--}" "$(echo "${tn:+vs NSD $tn} ${tk:+vs Knot $tk}" | sed 's/^ *//')"
		echo "$key,$unit,$d,$n,$k,$e,$rn,$rk,$tn,$tk" >>"$csv"
	done
	echo "(qps: higher is better; us, s, MB: lower is better; a ratio is dualnsd / the other server)"
	echo "paired by round (dualnsd / the other server in the same round: median of the rounds, lowest-highest):"
	echo "$metrics" | while IFS='|' read -r key label unit fmt better tn tk; do
		paired_row "$key" "$label" 30 ",,,," ",$tn,$tk"
	done
	# What a server that does no DNS work reaches against the same references: a target
	# ratio above the echo's own is out of reach on this machine for any server.
	echo "the ceiling (the echo, which does no DNS work, over the other server in the same round; dualnsd over the echo):"
	echo "$metrics" | while IFS='|' read -r key label unit fmt better tn tk; do
		en=$(paired "$key" nsd echo) ek=$(paired "$key" knot echo) de=$(paired "$key" echo)
		[ -n "$en$ek" ] || continue
		printf '  %-30s echo/NSD %-16s echo/Knot %-16s dualnsd/echo %s\n' "$label" "${en:--}" "${ek:--}" "${de:--}"
		echo "ceiling_$key,ratio,,,,${de%% *},${en%% *},${ek%% *},$tn,$tk" >>"$csv"
	done
	if [ -n "$BEFORE" ]; then
		echo "dualnsd / before ($BEFORE), paired by round (median, lowest-highest):"
		echo "$metrics" | while IFS='|' read -r key label unit fmt better tn tk; do
			pb=$(paired "$key" before)
			[ -n "$pb" ] || continue
			printf '  %-30s %s\n' "$label" "$pb"
			echo "before_$key,ratio,${pb%% *},,,,,,," >>"$csv"
		done
	fi
	echo "other work on CPU $SERVER_CPU during the UDP runs (median % of the CPU, not the server: softirq, other processes):"
	echo "  dualnsd $(median "$tmp/val.foreign.dualnsd")%, NSD $(median "$tmp/val.foreign.nsd")%, Knot $(median "$tmp/val.foreign.knot")%, echo $(median "$tmp/val.foreign.echo")%;"
	echo "  runs over $OTHER_MAX% were repeated up to $RETRIES times; $disturbed kept although still disturbed"
	echo
	if [ -n "$cg_ipq" ]; then
		echo "callgrind, dualnsd: $cg_ipq instructions per query (whole process, $cg_answered queries answered, minus a run with none);"
		echo "  of which query_process: $cg_qp_ipq per query"
		echo "cg_instructions_per_query,instructions,$cg_ipq,,,,,,," >>"$csv"
		echo "cg_query_process_per_query,instructions,$cg_qp_ipq,,,,,,," >>"$csv"
	else
		echo "callgrind: no result (see the log above)"
	fi
	if [ $profile = 1 ] && [ -s "$tmp/profile.txt" ]; then
		echo
		echo "perf profile of dualnsd under the UDP load (perf record -g -F 999, self time, top 20 symbols):"
		cat "$tmp/profile.txt"
	fi
} | tee "$results/latest.txt"

# --- chart --------------------------------------------------------------------------------------
# One panel per metric, a bar per server (the echo only where it means something).
gp=$tmp/chart.gp
{
	echo "set terminal pngcairo size 1800,800 font 'sans,10'"
	echo "set output '$results/latest.png'"
	echo "set multiplot layout 2,4 title \"dualns benchmark: dualnsd vs NSD vs Knot DNS, one worker each ($start_date)\\n$machine\" font 'sans,11'"
	echo "set style fill solid 0.8 border -1"
	echo "set offsets 0, 0, graph 0.12, 0"
	echo "set boxwidth 0.6"
	echo "set yrange [0:*]"
	echo "set grid ytics"
	echo "unset key"
	echo "set datafile separator ','"
} >"$gp"
i=0
echo "$metrics" | while IFS='|' read -r key label unit fmt better tn tk; do
	dat=$tmp/chart.$key.csv
	: >"$dat"
	for s in dualnsd nsd knot echo; do
		v=$(median "$tmp/val.$key.$s")
		case $s in dualnsd) c=0xcc6633 ;; echo) c=0x999999 ;; *) c=0x4477aa ;; esac
		if [ -n "$v" ]; then echo "$s,$v,$c" >>"$dat"; fi
	done
	hint="higher is better"
	[ "$better" = lo ] && hint="lower is better"
	if [ ! -s "$dat" ]; then
		# Not measured in this run (SKIP=big): an empty panel that says so, since gnuplot
		# cannot draw bars from an empty file.
		{
			echo "set title '$label ($unit)'"
			echo "set label 2 at graph 0.5, 0.5 center 'not measured in this run'"
			echo "plot [0:1][0:1] NaN"
			echo "unset label 2"
		} >>"$gp"
		continue
	fi
	{
		echo "set title '$label ($unit), $hint'"
		echo "plot '$dat' using 0:2:3:xtic(1) with boxes lc rgb variable, '' using 0:2:(sprintf('$fmt', \$2)) with labels offset 0,0.7"
	} >>"$gp"
done
{
	echo "unset border; unset tics; unset grid; unset title"
	echo "set label 1 at graph 0.02, 0.9 left \"callgrind: ${cg_ipq:-?} instructions per query (dualnsd)\\n\\n$ROUNDS rounds of $DURATION s, medians; servers on CPU $SERVER_CPU,\\ndnsperf on CPU $LOAD_CPU; the echo is the load generator's ceiling\\n\\n$(echo "$versions" | sed 's/; /\\n/g')\""
	echo "plot [0:1][0:1] NaN"
} >>"$gp"
gnuplot "$gp" 2>"$tmp/gnuplot.log" || { log "run.sh: gnuplot failed:"; cat "$tmp/gnuplot.log" >&2; }
log "run.sh: wrote $results/latest.txt, latest.csv and latest.png"
