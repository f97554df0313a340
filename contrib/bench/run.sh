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
top=$(cd "$here/../.." && pwd)
results=$here/results
# free_port, the NSD and Knot configurations, processes stopped on exit.
. "$top/tests/lib/common.sh"

quick=0
profile=0
for a in "$@"; do
	case $a in
	--quick) quick=1 ;;
	--profile) profile=1 ;;
	-h | --help)
		sed -n '2,17s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "run.sh: unknown option $a (try --help)" >&2
		exit 2
		;;
	esac
done
if [ $quick = 1 ]; then
	ROUNDS=${ROUNDS:-1} DURATION=${DURATION:-3} BIG_NAMES=${BIG_NAMES:-100000}
fi
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
BIG_NAMES=${BIG_NAMES:-500000}
CG_QUERIES=${CG_QUERIES:-20000}
# A saturated UDP run during which something else used more than OTHER_MAX % of the server's
# CPU (another process: the machine may be shared) is run again, up to RETRIES times.
OTHER_MAX=${OTHER_MAX:-10}
RETRIES=${RETRIES:-2}
disturbed=0
# The load: dnsperf pinned to CPU 0, every server pinned to CPU 1 (see README.md for why these).
SERVER_CPU=1
LOAD_CPU=0
UDP_OPTS="-T 1 -c 4 -q 200 -t 1"
TCP_OPTS="-m tcp -T 1 -c 16 -q 256 -t 1"
FIXED_QPS=100000
# The capped UDP run: each server (and the echo) alone in a CPU cgroup allowed CAP_PCT % of
# one CPU, so the server, not dnsperf, is what runs out (see README.md, "capped").
CAP_PCT=${CAP_PCT:-50}
# SKIP="big cg" leaves out the big-zone runs and/or callgrind (for a quick look at qps).
SKIP=${SKIP:-}
skipping() { case " $SKIP " in *" $1 "*) return 0 ;; esac; return 1; }

# --- tools --------------------------------------------------------------------------------------
# command:package pairs; missing ones are installed with apt-get when root.
needs="dnsperf:dnsperf nsd:nsd knotd:knot knotc:knot gnuplot:gnuplot-nox valgrind:valgrind
callgrind_annotate:valgrind dig:bind9-dnsutils python3:python3 cc:gcc taskset:util-linux
getconf:libc-bin"
[ $profile = 1 ] && needs="$needs perf:linux-perf"
missing=""
for n in $needs; do
	command -v "${n%%:*}" >/dev/null 2>&1 || case " $missing " in
		*" ${n#*:} "*) ;;
		*) missing="$missing ${n#*:}" ;;
		esac
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		echo "run.sh: missing packages:$missing; install them (apt-get install$missing) and rerun" >&2
		exit 1
	fi
	echo "run.sh: installing$missing" >&2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2 ||
		{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2; }
fi
# Debian starts the packaged daemons on port 53; they do not disturb us (we use other ports).

if [ ! -x "$top/src/dualnsd" ]; then
	echo "run.sh: building dualnsd" >&2
	(cd "$top" && { [ -x configure ] || autoreconf -fi; } && { [ -f Makefile ] || ./configure; } && make -j2) >&2
fi
DUALNSD=$top/src/dualnsd
DUALNSD_OPTS=""
# Measure one worker whatever the branch can do: pass --workers 1 only where it exists.
if "$DUALNSD" --help 2>&1 | grep -q -- '--workers'; then DUALNSD_OPTS="--workers 1"; fi
# The load comes from one client: rate limiting (on by default) would measure dropping.
# RRL_RATE=N turns it on at N for dualnsd alone (the older build keeps it off): with
# BEFORE= the same binary and N above every bucket's rate, the report says what rate
# limiting costs when it limits nothing.
RRL_RATE=${RRL_RATE:-0}
if "$DUALNSD" --help 2>&1 | grep -q -- '--rrl-rate'; then DUALNSD_OPTS="$DUALNSD_OPTS --rrl-rate $RRL_RATE"; fi

# --- temporary folder and cleanup ---------------------------------------------------------------
# The servers are tracked (track_pid) and stopped on exit by tests/lib/common.sh, with 10 s
# each to go (a big zone takes a while to free); stopping NSD's main process stops its
# children. Then the cgroup goes, and the folder unless KEEP_TMP=1.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dualns-bench.XXXXXX")
LIB_STOP_SECONDS=10
cleanup() {
	cap_cleanup
	if [ "${KEEP_TMP:-0}" = 1 ]; then log "run.sh: kept $tmp (KEEP_TMP=1)"; else rm -rf "$tmp"; fi
}
on_exit cleanup
trap 'exit 1' HUP

log() { printf '%s\n' "$*" >&2; }

# The pid and all its descendants (NSD forks a server child and xfrd).
tree_pids() {
	local c
	echo "$1"
	for c in $(pgrep -P "$1" 2>/dev/null); do tree_pids "$c"; done
}
# utime + stime in clock ticks, summed over the process tree and all its threads.
cpu_ticks() {
	local p t=0 f
	for p in $(tree_pids "$1"); do
		f=$(cut -d')' -f2- "/proc/$p/stat" 2>/dev/null) || continue
		# shellcheck disable=SC2086
		set -- $f
		t=$((t + ${12} + ${13}))
	done
	echo $t
}
# Resident memory in kB: VmRSS for one process; for a process tree the sum of Pss
# (shared pages counted once, so NSD's forked children do not count the zone twice).
mem_kb() {
	local ps n
	ps=$(tree_pids "$1")
	n=$(echo "$ps" | wc -w)
	if [ "$n" = 1 ]; then
		awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
	else
		# shellcheck disable=SC2086
		for p in $ps; do cat "/proc/$p/smaps_rollup" 2>/dev/null; done | awk '/^Pss:/ { s += $2 } END { print s }'
	fi
}
# Re-pin every thread of a server to the server CPU after start: Knot pins its UDP workers
# to CPU (worker id % CPUs) itself, which would put its only worker on the load generator's CPU.
pin_tree() {
	local p
	for p in $(tree_pids "$1"); do taskset -a -p -c $SERVER_CPU "$p" >/dev/null 2>&1 || true; done
}

# A CPU cgroup capped at CAP_PCT % of one CPU (cgroup v2 cpu.max, or v1 cpu.cfs_quota_us),
# with a 10 ms period so a throttled server pauses for milliseconds, not tenths of a second.
# Sets cap_dir and cap_parent; empty cap_dir when neither can be made (not root, no cgroup fs).
cap_dir="" cap_parent=""
cap_setup() {
	local d
	if [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
		d=/sys/fs/cgroup/dualns-bench.$$
		echo +cpu >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
		mkdir "$d" 2>/dev/null && echo "$((CAP_PCT * 100)) 10000" >"$d/cpu.max" 2>/dev/null &&
			{ cap_dir=$d cap_parent=/sys/fs/cgroup; return 0; }
	elif [ -d /sys/fs/cgroup/cpu ] && [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
		d=/sys/fs/cgroup/cpu/dualns-bench.$$
		mkdir "$d" 2>/dev/null && echo 10000 >"$d/cpu.cfs_period_us" &&
			echo "$((CAP_PCT * 100))" >"$d/cpu.cfs_quota_us" 2>/dev/null &&
			{ cap_dir=$d cap_parent=/sys/fs/cgroup/cpu; return 0; }
	fi
	[ -n "${d:-}" ] && rmdir "$d" 2>/dev/null
	log "run.sh: no CPU cgroup can be made here (root and a cgroup fs with the cpu controller are needed): the capped run is skipped"
	return 1
}
# cap_move PID DIR: the process tree into the cgroup at DIR (v2: whole processes through
# cgroup.procs; v1: every thread through tasks).
cap_move() {
	local p t
	for p in $(tree_pids "$1"); do
		if [ -f "$2/cgroup.controllers" ] || [ "$2" = /sys/fs/cgroup ]; then
			echo "$p" >"$2/cgroup.procs" 2>/dev/null || true
		else
			for t in /proc/"$p"/task/*; do echo "${t##*/}" >"$2/tasks" 2>/dev/null || true; done
		fi
	done
}
cap_cleanup() {
	[ -n "$cap_dir" ] || return 0
	local t
	for t in $(cat "$cap_dir/cgroup.procs" 2>/dev/null); do echo "$t" >"$cap_parent/cgroup.procs" 2>/dev/null || true; done
	for t in $(cat "$cap_dir/tasks" 2>/dev/null); do echo "$t" >"$cap_parent/tasks" 2>/dev/null || true; done
	rmdir "$cap_dir" 2>/dev/null || true
}

# --- servers ------------------------------------------------------------------------------------
# start_SERVER NAME ZONE ZONEFILE PORT: starts it pinned to the server CPU, tracked, with
# its log in $tmp/NAME.log; sets $started_pid. Readiness is ready.py's to measure.
REF_WRAP=(taskset -c "$SERVER_CPU")
start_dualnsd() {
	# shellcheck disable=SC2086
	taskset -c $SERVER_CPU "$DUALNSD" $DUALNSD_OPTS -p "$4" -l 127.0.0.1 "$2=$3" 2>"$tmp/$1.log" &
	started_pid=$!
	track_pid "$started_pid"
}
start_nsd() {
	nsd_start "$tmp/$1" "$tmp/$1.log" "$4" "$2" "$3"
	started_pid=$NSD_PID
}
start_knot() {
	knot_start "$tmp/$1" "$tmp/$1.log" "$4" "$2" "$3"
	started_pid=$KNOT_PID
}
start_before() {
	# shellcheck disable=SC2086
	taskset -c $SERVER_CPU "$BEFORE" $BEFORE_OPTS -p "$4" -l 127.0.0.1 "$2=$3" 2>"$tmp/$1.log" &
	started_pid=$!
	track_pid "$started_pid"
}
start_echo() {
	taskset -c $SERVER_CPU "$tmp/echo" "$4" 2>"$tmp/$1.log" &
	started_pid=$!
	track_pid "$started_pid"
}

# --- inputs -------------------------------------------------------------------------------------
log "run.sh: generating zones and queries in $tmp"
python3 "$here/gen.py" zone "$tmp"
python3 "$here/gen.py" queries "$tmp" 100000
python3 "$here/gen.py" bigzone "$tmp" "$BIG_NAMES"
cc -O2 -o "$tmp/echo" "$here/echo.c"
mkdir -p "$tmp/cg"
python3 "$here/gen.py" queries "$tmp/cg" "$CG_QUERIES"

servers="dualnsd nsd knot echo"
BEFORE=${BEFORE:-}
if [ -n "$BEFORE" ]; then
	[ -x "$BEFORE" ] || { log "run.sh: BEFORE=$BEFORE is not an executable"; exit 2; }
	# Its own options: an older build may not know --rrl-rate (then it has no RRL).
	BEFORE_OPTS=""
	if "$BEFORE" --help 2>&1 | grep -q -- '--workers'; then BEFORE_OPTS="--workers 1"; fi
	if "$BEFORE" --help 2>&1 | grep -q -- '--rrl-rate'; then BEFORE_OPTS="$BEFORE_OPTS --rrl-rate 0"; fi
	servers="$servers before"
fi
declare -A port pid
for s in $servers; do
	port[$s]=$(free_port)
	"start_$s" "$s" bench.test "$tmp/bench.test.zone" "${port[$s]}"
	pid[$s]=$started_pid
done
for s in $servers; do
	if [ "$s" = echo ]; then
		# The echo answers anything; wait for its socket.
		wait_for 20 grep -q ready "$tmp/echo.log" || { log "run.sh: the echo did not start"; exit 1; }
	elif ! python3 "$here/ready.py" "${port[$s]}" h1.bench.test 60 >/dev/null; then
		log "run.sh: $s did not answer on port ${port[$s]}:"
		cat "$tmp/$s.log" >&2
		exit 1
	fi
	pin_tree "${pid[$s]}"
	log "run.sh: $s ready on 127.0.0.1 port ${port[$s]} (pid ${pid[$s]})"
done
# Same answers everywhere: the RCODE mix of a small pass must agree (the echo excepted).
for s in dualnsd nsd knot; do
	dnsperf -B -d "$tmp/cg/queries.bin" -s 127.0.0.1 -p "${port[$s]}" -n 1 -c 1 -q 10 -t 2 >"$tmp/check.$s" 2>&1 || true
	grep 'Response codes' "$tmp/check.$s" | sed "s/^ */run.sh: $s: /" >&2
done

# --- measurements -------------------------------------------------------------------------------
# record METRIC SERVER VALUE: one value per round, medians taken at the end.
record() { echo "$3" >>"$tmp/val.$1.$2"; }
# Busy ticks of the server CPU (all but idle and iowait), to see what else ran there.
cpu_busy() { awk -v c="cpu$SERVER_CPU" '$1 == c { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
# All ticks of the server CPU (idle included): the elapsed time in that CPU's own clock.
cpu_all() { awk -v c="cpu$SERVER_CPU" '$1 == c { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat; }
# foreign BUSY0 BUSY1 SRV0 SRV1 ALL0 ALL1: % of the server CPU used by anything but the server
# (other processes, and softirq work the kernel ran there outside the server's time).
foreign() {
	awk -v b=$(($2 - $1)) -v s=$(($4 - $3)) -v a=$(($6 - $5)) 'BEGIN { f = a > 0 ? (b - s) / a * 100 : 0; if (f < 0) f = 0; printf "%.0f", f }'
}
# share SRV0 SRV1 ALL0 ALL1: % of the server CPU the server used
share() { awk -v s=$(($2 - $1)) -v a=$(($4 - $3)) 'BEGIN { printf "%.0f", (a > 0 ? s / a * 100 : 0) }'; }
median() {
	[ -s "$1" ] || { echo ""; return; }
	sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# paired KEY OTHER [SERVER]: SERVER's value (dualnsd's by default) over OTHER's, round by
# round (the two ran minutes apart in the same round, so a slow spell of the host weighs
# on both), as "median (lowest-highest)"; empty when either has no values.
paired() {
	local a=$tmp/val.$1.${3:-dualnsd} b=$tmp/val.$1.$2 r=$tmp/paired.$1.${3:-dualnsd}.$2
	[ -s "$a" ] && [ -s "$b" ] || return 0
	paste "$a" "$b" | awk '$2 > 0 { print $1 / $2 }' >"$r"
	[ -s "$r" ] || return 0
	printf '%.2f (%s-%s)' "$(median "$r")" \
		"$(sort -g "$r" | head -n 1 | awk '{ printf "%.2f", $1 }')" \
		"$(sort -g "$r" | tail -n 1 | awk '{ printf "%.2f", $1 }')"
}
dnsperf_run() { # SERVER OUTFILE OPTIONS...: dnsperf on the load CPU for DURATION seconds
	local s=$1 out=$2
	shift 2
	# shellcheck disable=SC2068
	taskset -c $LOAD_CPU dnsperf -B -d "$tmp/queries.bin" -s 127.0.0.1 -p "${port[$s]}" -l "$DURATION" $@ >"$out" 2>&1 || true
}
field() { # OUTFILE LABEL: the number after "LABEL:" in dnsperf's statistics
	awk -v l="$2:" 'index($0, l) { sub(".*" l "[ \t]*", ""); print $1 + 0; exit }' "$1"
}

ticks=$(getconf CLK_TCK)
cap_setup || true
start_date=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$ROUNDS"); do
	for s in $servers; do
		o=$tmp/udp.$s.$r
		for try in $(seq 0 "$RETRIES"); do
			a0=$(cpu_all) b0=$(cpu_busy) c0=$(cpu_ticks "${pid[$s]}")
			# shellcheck disable=SC2086
			dnsperf_run "$s" "$o" $UDP_OPTS
			a1=$(cpu_all) b1=$(cpu_busy) c1=$(cpu_ticks "${pid[$s]}")
			fo=$(foreign "$b0" "$b1" "$c0" "$c1" "$a0" "$a1")
			log "run.sh: round $r/$ROUNDS udp $s: $(field "$o" 'Queries per second') qps, lost $(field "$o" 'Queries lost'), server CPU $(share "$c0" "$c1" "$a0" "$a1")%, other work on CPU $SERVER_CPU $fo%"
			[ "$fo" -le "$OTHER_MAX" ] && break
			if [ "$try" -lt "$RETRIES" ]; then log "run.sh:   disturbed (other work > $OTHER_MAX%): again"; else disturbed=$((disturbed + 1)); fi
		done
		record udp "$s" "$(field "$o" 'Queries per second')"
		record foreign "$s" "$fo"
	done
	if [ -n "$cap_dir" ]; then
		for s in $servers; do
			o=$tmp/capped.$s.$r
			c0=$(cpu_ticks "${pid[$s]}")
			cap_move "${pid[$s]}" "$cap_dir"
			# shellcheck disable=SC2086
			dnsperf_run "$s" "$o" $UDP_OPTS
			cap_move "${pid[$s]}" "$cap_parent"
			c1=$(cpu_ticks "${pid[$s]}")
			record capped "$s" "$(field "$o" 'Queries per second')"
			log "run.sh: round $r/$ROUNDS udp capped at $CAP_PCT% $s: $(field "$o" 'Queries per second') qps, lost $(field "$o" 'Queries lost'), server CPU $(awk -v d=$((c1 - c0)) -v t="$ticks" -v l="$DURATION" 'BEGIN { printf "%.0f", d / t / l * 100 }')%"
		done
	fi
	for s in $servers; do
		o=$tmp/cpu.$s.$r
		c0=$(cpu_ticks "${pid[$s]}")
		# shellcheck disable=SC2086
		dnsperf_run "$s" "$o" $UDP_OPTS -Q $FIXED_QPS
		c1=$(cpu_ticks "${pid[$s]}")
		n=$(field "$o" 'Queries completed')
		us=$(awk -v d=$((c1 - c0)) -v t="$ticks" -v n="$n" 'BEGIN { if (n > 0) printf "%.3f", d / t * 1e6 / n }')
		record cpu "$s" "$us"
		log "run.sh: round $r/$ROUNDS cpu $s: $us us/query over $n queries at $(field "$o" 'Queries per second') qps"
	done
	for s in dualnsd nsd knot; do
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
		p=$(free_port)
		t0=$(date +%s%N)
		"start_$s" "big-$s-$r" big.test "$tmp/big.test.zone" "$p"
		if t1=$(python3 "$here/ready.py" "$p" "$big_last" 600); then
			ms=$(((t1 - t0) / 1000000))
			sleep 1 # let a loader that frees its staging memory do so
			kb=$(mem_kb "$started_pid")
			record load $s "$(awk -v m=$ms 'BEGIN { printf "%.3f", m / 1000 }')"
			record rss $s "$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')"
			log "run.sh: round $r/$ROUNDS big zone $s: answers after $ms ms, $((kb / 1024)) MB"
		else
			log "run.sh: round $r/$ROUNDS big zone $s: no answer within 600 s"
			cat "$tmp/big-$s-$r.log" >&2
		fi
		stop_pid "$started_pid" 10
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
mkdir -p "$results"
cpu_model=$(lscpu | sed -n 's/^Model name:[ \t]*//p' | head -1)
machine="$cpu_model, $(nproc) cores, Linux $(uname -r), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
rev=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
versions="dualnsd $rev; $(nsd -v 2>&1 | head -1); Knot DNS $(knotd --version 2>&1 | awk '{ print $NF; exit }'); $(dnsperf -h 2>&1 | grep -i '^version' | head -1 | sed 's/Version/dnsperf/')"

big_label=$(awk -v n="$BIG_NAMES" 'BEGIN { r = 2 * n; if (r >= 1e6 && r % 1e6 == 0) printf "%dM", r / 1e6; else printf "%dk", r / 1e3 }')
# metric key, label, unit, value format, better (hi/lo), target ratios (vs NSD, vs Knot)
metrics="udp|UDP qps, saturated|qps|%.0f|hi||
capped|UDP qps, server at $CAP_PCT% CPU|qps|%.0f|hi|>= 1.10|>= 1.25
tcp|TCP qps, pipelined|qps|%.0f|hi|>= 1.00|
cpu|CPU per query at 100k qps|us|%.2f|lo|<= 1.00|
load|$big_label zone: load to answer|s|%.2f|lo||<= 2.00
rss|$big_label zone: resident memory|MB|%.0f|lo||< 1.00"
fmt_num() { # FORMAT VALUE: the value printed with the format, or "-" when there is none
	if [ -n "$2" ]; then awk -v v="$2" -v f="$1" 'BEGIN { printf f, v }'; else printf -- -; fi
}
csv=$results/latest.csv
echo "metric,unit,dualnsd,nsd,knot,echo,dualnsd_per_nsd,dualnsd_per_knot,target_per_nsd,target_per_knot" >"$csv"
{
	echo "dualns benchmark, $start_date"
	echo "machine: $machine"
	echo "software: $versions"
	echo "load average before the run: $load_before (the machine may be shared)"
	echo "method: $ROUNDS rounds of $DURATION s per run, servers alternated (dualnsd, NSD, Knot, echo), medians;"
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
		pn=$(paired "$key" nsd) pk=$(paired "$key" knot)
		[ -n "$pn$pk" ] || continue
		printf '  %-30s vs NSD %-18s vs Knot %s\n' "$label" "${pn:--}" "${pk:--}"
		echo "paired_$key,ratio,,,,,${pn%% *},${pk%% *},$tn,$tk" >>"$csv"
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
