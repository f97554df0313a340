# SPDX-License-Identifier: BSD-3-Clause
# contrib/bench/lib.sh: what the benchmark scripts share (sourced by run.sh and dnssec.sh, bash).
# shellcheck shell=bash
#
# Before sourcing, the script sets "here" (its folder) and "me" (its name, for messages);
# this sets top (the source tree) and results, and sources tests/lib/common.sh. The
# functions here use "tmp" (bench_tmp makes it) and the associative arrays "port" and
# "pid" (declared here) indexed by server name.
#   bench_options N ARGS...      --quick, --help, the script's extra_option; shared settings
#   bench_tools NEEDS            command:package pairs; missing ones installed when root
#   bench_dualnsd                sets DUALNSD and DUALNSD_OPTS (one worker, RRL_RATE, default 0)
#   bench_tmp PREFIX             the temporary folder, removed on exit (KEEP_TMP=1 keeps it)
#   start_dualnsd|nsd|knot|echo|spin|before NAME ZONE ZONEFILE PORT   a server pinned to SERVER_CPU
#   bench_before                 BEFORE=/path/dualnsd: checks it, sets BEFORE_OPTS and before_server
#   bench_lock, bench_unlock     hold BENCH_LOCK (a file; empty: no lock) while measuring
#   serve_all ORIGIN ZONEFILE QNAME SERVERS...       each on a free port, once it answers
#   rcode_check FILE SERVERS...  one pass of FILE through each: RCODE mix and answer size
#   interruptible CMD...         CMD in the background, so that a signal stops the script at once
#   udp_saturated KEY SERVER ROUND OUT OPTIONS...    dnsperf at full speed, repeated when disturbed
#   udp_capped KEY SERVER ROUND OUT OPTIONS...       the same in a CPU cgroup of CAP_PCT %
#   cpu_per_query KEY SERVER ROUND OUT OPTIONS...    the server's CPU time per query at a fixed rate
#                                (also left in cpq_us and cpq_n)
#   load_measure SERVER ROUND ZONEFILE QNAME QTYPE   time from start to answer, and memory
#   round_order N SERVERS...     the servers rotated by N: each in every position in turn
#   record, median, paired, paired_files, paired_row, field, fmt_num, machine_versions
#                                the figures and the report
top=$(cd "$here/../.." && pwd)
results=$here/results
# shellcheck source-path=SCRIPTDIR source=../../tests/lib/common.sh
. "$top/tests/lib/common.sh"
declare -A port pid
disturbed=0
log() { printf '%s\n' "$*" >&2; }

# --- options and settings -----------------------------------------------------------------------
# bench_options N ARGS...: --quick (ROUNDS=1 DURATION=3 BIG_NAMES=100000 unless set), --help
# (prints the script's comment lines 2 to N), and what the script's extra_option OPT accepts
# (it returns 1 for an option it does not know); then the settings every script shares.
quick=0
bench_options() {
	local n=$1 a
	shift
	for a in "$@"; do
		case $a in
		--quick) quick=1 ;;
		-h | --help)
			sed -n "2,${n}s/^# \{0,1\}//p" "$0"
			exit 0
			;;
		*)
			extra_option "$a" || {
				echo "$me: unknown option $a (try --help)" >&2
				exit 2
			}
			;;
		esac
	done
	if [ $quick = 1 ]; then
		ROUNDS=${ROUNDS:-1} DURATION=${DURATION:-3} BIG_NAMES=${BIG_NAMES:-100000}
	fi
	ROUNDS=${ROUNDS:-3}
	DURATION=${DURATION:-10}
	BIG_NAMES=${BIG_NAMES:-500000}
	# A saturated UDP run during which something else used more than OTHER_MAX % of the server's
	# CPU (another process: the machine may be shared) is run again, up to RETRIES times.
	OTHER_MAX=${OTHER_MAX:-10}
	RETRIES=${RETRIES:-2}
	# The capped UDP run: each server alone in a CPU cgroup allowed CAP_PCT % of one CPU, so
	# the server, not dnsperf, is what runs out (see README.md, "capped").
	CAP_PCT=${CAP_PCT:-50}
	# SKIP="big cg" leaves out the big-zone runs and/or callgrind (for a quick look at qps).
	SKIP=${SKIP:-}
}
skipping() { case " $SKIP " in *" $1 "*) return 0 ;; esac; return 1; }
# The load: dnsperf pinned to CPU 0, every server pinned to CPU 1 (see README.md for why these).
SERVER_CPU=1
LOAD_CPU=0
UDP_OPTS="-T 1 -c 4 -q 200 -t 1"

# --- tools --------------------------------------------------------------------------------------
# bench_tools NEEDS: command:package pairs; missing ones are installed with apt-get when root.
bench_tools() {
	local needs=$1 missing="" n
	for n in $needs; do
		command -v "${n%%:*}" >/dev/null 2>&1 || case " $missing " in
			*" ${n#*:} "*) ;;
			*) missing="$missing ${n#*:}" ;;
			esac
	done
	if [ -n "$missing" ]; then
		if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
			echo "$me: missing packages:$missing; install them (apt-get install$missing) and rerun" >&2
			exit 1
		fi
		echo "$me: installing$missing" >&2
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2 ||
			{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2; }
	fi
	# Debian starts the packaged daemons on port 53; they do not disturb us (we use other ports).
}

# bench_dualnsd: builds src/dualnsd when missing; sets DUALNSD and DUALNSD_OPTS.
bench_dualnsd() {
	if [ ! -x "$top/src/dualnsd" ]; then
		echo "$me: building dualnsd" >&2
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
}

# interruptible CMD...: CMD in the background, tracked, waited for: a SIGTERM or SIGINT to the
# script then stops at once (bash runs a trap only once the foreground command is done) and
# the cleanup stops CMD too. Returns CMD's status.
interruptible() {
	local p rc=0
	"$@" &
	p=$!
	track_pid "$p"
	wait "$p" || rc=$?
	untrack_pid "$p"
	return $rc
}

# --- temporary folder and cleanup ---------------------------------------------------------------
# The servers are tracked (track_pid) and stopped on exit by tests/lib/common.sh, with 10 s
# each to go (a big zone takes a while to free); stopping NSD's main process stops its
# children. Then the cgroup goes, and the folder unless KEEP_TMP=1.
bench_tmp() { # PREFIX: sets tmp
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	QUERIES=$tmp/queries.bin
	LIB_STOP_SECONDS=10
	on_exit bench_cleanup
	trap 'exit 1' HUP
}
bench_cleanup() {
	cap_cleanup
	if [ "${KEEP_TMP:-0}" = 1 ]; then log "$me: kept $tmp (KEEP_TMP=1)"; else rm -rf "$tmp"; fi
}

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
	log "$me: no CPU cgroup can be made here (root and a cgroup fs with the cpu controller are needed): the capped run is skipped"
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
# The echo: $tmp/echo, built from echo.c by the script.
start_echo() {
	taskset -c $SERVER_CPU "$tmp/echo" "$4" 2>"$tmp/$1.log" &
	started_pid=$!
	track_pid "$started_pid"
}
# "spin": the echo spending SPIN_NS ns of CPU per datagram (sweep.sh).
start_spin() {
	ECHO_SPIN_NS=$SPIN_NS taskset -c $SERVER_CPU "$tmp/echo" "$4" 2>"$tmp/$1.log" &
	started_pid=$!
	track_pid "$started_pid"
}
# "before": an older dualnsd build (BEFORE=), with its own options (bench_before).
start_before() {
	# shellcheck disable=SC2086
	taskset -c $SERVER_CPU "$BEFORE" $BEFORE_OPTS -p "$4" -l 127.0.0.1 "$2=$3" 2>"$tmp/$1.log" &
	started_pid=$!
	track_pid "$started_pid"
}
# bench_before: with BEFORE=/path/to/dualnsd, checks it and sets BEFORE_OPTS (an older build
# may not know --workers or --rrl-rate: then it has one worker or no RRL anyway) and
# before_server ("before" or BEFORE_NAME, empty without BEFORE=) for the script's server list.
bench_before() {
	BEFORE=${BEFORE:-}
	BEFORE_OPTS="" before_server=""
	[ -n "$BEFORE" ] || return 0
	[ -x "$BEFORE" ] || { log "$me: BEFORE=$BEFORE is not an executable"; exit 2; }
	if "$BEFORE" --help 2>&1 | grep -q -- '--workers'; then BEFORE_OPTS="--workers 1"; fi
	if "$BEFORE" --help 2>&1 | grep -q -- '--rrl-rate'; then BEFORE_OPTS="$BEFORE_OPTS --rrl-rate 0"; fi
	# BEFORE_NAME: the label of that build in the tables (e.g. "reader" for a build made with
	# reader-only.patch); lower-case letters only, as it names a shell function.
	before_server=${BEFORE_NAME:-before}
	case $before_server in
	*[!a-z]* | dualnsd | nsd | knot | echo | spin) log "$me: BEFORE_NAME=$before_server: use another name of a-z"; exit 2 ;;
	before) ;;
	*) eval "start_$before_server() { start_before \"\$@\"; }" ;;
	esac
}

# bench_lock, bench_unlock: BENCH_LOCK (a file; empty: no lock) held on descriptor 9 while a
# measurement runs, so that two benchmarks sharing the machine never measure at once. Do not
# also run the script itself under flock on the same file: it would wait for itself.
bench_lock() {
	[ -n "${BENCH_LOCK:-}" ] || return 0
	exec 9>>"$BENCH_LOCK"
	interruptible flock 9
}
bench_unlock() {
	[ -n "${BENCH_LOCK:-}" ] || return 0
	flock -u 9
	exec 9>&-
}

# serve_all ORIGIN ZONEFILE QNAME SERVERS...: starts each server (start_NAME, on a free port:
# port[NAME], pid[NAME]), then waits until each answers QNAME A (ready.py; the echo: its
# log line) and re-pins it. Exits when one does not answer within 60 s.
serve_all() {
	local origin=$1 zone=$2 qname=$3 s
	shift 3
	for s in "$@"; do
		port[$s]=$(free_port)
		"start_$s" "$s" "$origin" "$zone" "${port[$s]}"
		pid[$s]=$started_pid
	done
	for s in "$@"; do
		if [ "$s" = echo ] || [ "$s" = spin ]; then
			# The echo answers anything; wait for its socket.
			wait_for 20 grep -q ready "$tmp/$s.log" || { log "$me: the $s echo did not start"; exit 1; }
		elif [ "$s" = reader ]; then
			# A reader-only build (reader-only.patch) echoes too; wait for its log line.
			wait_for 20 grep -q serving "$tmp/$s.log" || { log "$me: the reader did not start"; exit 1; }
		elif ! python3 "$here/ready.py" "${port[$s]}" "$qname" 60 >/dev/null; then
			log "$me: $s did not answer on port ${port[$s]}:"
			cat "$tmp/$s.log" >&2
			exit 1
		fi
		pin_tree "${pid[$s]}"
		log "$me: $s ready on 127.0.0.1 port ${port[$s]} (pid ${pid[$s]})"
	done
}
# rcode_check FILE SERVERS...: one pass of the queries in FILE through each server; prints the
# RCODE mix of each (they must agree) and the average answer size.
rcode_check() {
	local f=$1 s
	shift
	for s in "$@"; do
		interruptible dnsperf -B -d "$f" -s 127.0.0.1 -p "${port[$s]}" -n 1 -c 1 -q 10 -t 2 >"$tmp/check.$s" 2>&1 || true
		grep -e 'Response codes' -e 'Average packet size' "$tmp/check.$s" | sed "s/^ */$me: $s: /" >&2
	done
}

# --- measurements -------------------------------------------------------------------------------
# round_order N SERVERS...: the servers rotated left by N places (modulo their count). The
# scripts measure the servers one after another; in a fixed order the same server would
# always run first after the load, the placement or the round changes, and whatever that
# costs (a scheduler or a host still settling from the step before) would weigh on its
# figures alone. Rotating by round, and in sweep.sh by load as well, puts each server in
# every position in turn; the figures still pair by round.
round_order() {
	local n=$1
	shift
	n=$((n % $#))
	echo "${@:n+1}" "${@:1:n}"
}
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
	paired_files "$tmp/val.$1.${3:-dualnsd}" "$tmp/val.$1.$2" "$tmp/paired.$1.${3:-dualnsd}.$2"
}
# paired_files A B OUT: the values in A over those in B, line by line (round by round), in
# OUT; prints "median (lowest-highest)", or nothing when either file is empty.
paired_files() {
	local a=$1 b=$2 r=$3
	[ -s "$a" ] && [ -s "$b" ] || return 0
	paste "$a" "$b" | awk '$2 > 0 { print $1 / $2 }' >"$r"
	[ -s "$r" ] || return 0
	printf '%.2f (%s-%s)' "$(median "$r")" \
		"$(sort -g "$r" | head -n 1 | awk '{ printf "%.2f", $1 }')" \
		"$(sort -g "$r" | tail -n 1 | awk '{ printf "%.2f", $1 }')"
}
# paired_row KEY LABEL WIDTH BEFORE AFTER: "LABEL vs NSD ratio vs Knot ratio" (paired), nothing
# when neither has figures; appends the CSV row paired_KEY,ratio,BEFORE, the two ratios, AFTER.
paired_row() {
	local pn pk
	pn=$(paired "$1" nsd) pk=$(paired "$1" knot)
	[ -n "$pn$pk" ] || return 0
	printf "  %-${3}s vs NSD %-18s vs Knot %s\n" "$2" "${pn:--}" "${pk:--}"
	echo "paired_$1,ratio,$4${pn%% *},${pk%% *}$5" >>"$csv"
}
dnsperf_run() { # SERVER OUTFILE OPTIONS...: dnsperf on the load CPU for DURATION seconds, QUERIES
	local s=$1 out=$2
	shift 2
	# shellcheck disable=SC2068
	interruptible taskset -c $LOAD_CPU dnsperf -B -d "$QUERIES" -s 127.0.0.1 -p "${port[$s]}" -l "$DURATION" $@ >"$out" 2>&1 || true
}
field() { # OUTFILE LABEL: the number after "LABEL:" in dnsperf's statistics
	awk -v l="$2:" 'index($0, l) { sub(".*" l "[ \t]*", ""); print $1 + 0; exit }' "$1"
}

# udp_saturated KEY SERVER ROUND OUT OPTIONS...: dnsperf as fast as it goes; a run during
# which something else used more than OTHER_MAX % of the server CPU (another process: the
# machine may be shared) is run again, up to RETRIES times. Records KEY's qps and "foreign".
udp_saturated() {
	local key=$1 s=$2 r=$3 o=$4 try a0 b0 c0 a1 b1 c1 fo
	shift 4
	for try in $(seq 0 "$RETRIES"); do
		a0=$(cpu_all) b0=$(cpu_busy) c0=$(cpu_ticks "${pid[$s]}")
		dnsperf_run "$s" "$o" "$@"
		a1=$(cpu_all) b1=$(cpu_busy) c1=$(cpu_ticks "${pid[$s]}")
		fo=$(foreign "$b0" "$b1" "$c0" "$c1" "$a0" "$a1")
		log "$me: round $r/$ROUNDS $key $s: $(field "$o" 'Queries per second') qps, lost $(field "$o" 'Queries lost'), server CPU $(share "$c0" "$c1" "$a0" "$a1")%, other work on CPU $SERVER_CPU $fo%"
		[ "$fo" -le "$OTHER_MAX" ] && break
		if [ "$try" -lt "$RETRIES" ]; then log "$me:   disturbed (other work > $OTHER_MAX%): again"; else disturbed=$((disturbed + 1)); fi
	done
	record "$key" "$s" "$(field "$o" 'Queries per second')"
	record foreign "$s" "$fo"
}
# udp_capped KEY SERVER ROUND OUT OPTIONS...: the same load with the server in the CPU
# cgroup (cap_setup) for the run; records KEY's qps. Nothing when there is no cgroup.
udp_capped() {
	local key=$1 s=$2 r=$3 o=$4 c0 c1
	shift 4
	[ -n "$cap_dir" ] || return 0
	c0=$(cpu_ticks "${pid[$s]}")
	cap_move "${pid[$s]}" "$cap_dir"
	dnsperf_run "$s" "$o" "$@"
	cap_move "${pid[$s]}" "$cap_parent"
	c1=$(cpu_ticks "${pid[$s]}")
	record "$key" "$s" "$(field "$o" 'Queries per second')"
	log "$me: round $r/$ROUNDS $key at $CAP_PCT% $s: $(field "$o" 'Queries per second') qps, lost $(field "$o" 'Queries lost'), server CPU $(awk -v d=$((c1 - c0)) -v t="$ticks" -v l="$DURATION" 'BEGIN { printf "%.0f", d / t / l * 100 }')%"
}
# cpu_per_query KEY SERVER ROUND OUT OPTIONS...: the server's utime + stime over the queries
# answered, in microseconds (OPTIONS hold the fixed rate, -Q); records KEY's figure.
cpu_per_query() {
	local key=$1 s=$2 r=$3 o=$4 c0 c1
	shift 4
	c0=$(cpu_ticks "${pid[$s]}")
	dnsperf_run "$s" "$o" "$@"
	c1=$(cpu_ticks "${pid[$s]}")
	cpq_n=$(field "$o" 'Queries completed')
	cpq_us=$(awk -v d=$((c1 - c0)) -v t="$ticks" -v n="$cpq_n" 'BEGIN { if (n > 0) printf "%.3f", d / t * 1e6 / n }')
	record "$key" "$s" "$cpq_us"
	log "$me: round $r/$ROUNDS $key $s: $cpq_us us/query over $cpq_n queries at $(field "$o" 'Queries per second') qps"
}
ticks=$(getconf CLK_TCK)

# load_measure SERVER ROUND ZONEFILE QNAME QTYPE: starts SERVER with the zone (big.test) on a
# free port; records "load", the seconds from its start to the first answer to QNAME QTYPE
# (ready.py, polled every 10 ms), and "rss", its memory in MB 1 s later (mem_kb); stops it.
load_measure() {
	local s=$1 r=$2 p t0 t1 ms kb
	p=$(free_port)
	t0=$(date +%s%N)
	"start_$s" "big-$s-$r" big.test "$3" "$p"
	if t1=$(python3 "$here/ready.py" "$p" "$4" 600 "$5"); then
		ms=$(((t1 - t0) / 1000000))
		sleep 1 # let a loader that frees its staging memory do so
		kb=$(mem_kb "$started_pid")
		record load "$s" "$(awk -v m=$ms 'BEGIN { printf "%.3f", m / 1000 }')"
		record rss "$s" "$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')"
		log "$me: round $r/$ROUNDS big zone $s: $4 $5 answered after $ms ms, $((kb / 1024)) MB"
	else
		log "$me: round $r/$ROUNDS big zone $s: no answer within 600 s"
		cat "$tmp/big-$s-$r.log" >&2
	fi
	stop_pid "$started_pid" 10
}

# --- report -------------------------------------------------------------------------------------
fmt_num() { # FORMAT VALUE: the value printed with the format, or "-" when there is none
	if [ -n "$2" ]; then awk -v v="$2" -v f="$1" 'BEGIN { printf f, v }'; else printf -- -; fi
}
# machine_versions: sets machine and versions, the report's first lines.
machine_versions() {
	local cpu_model rev
	cpu_model=$(lscpu | sed -n 's/^Model name:[ \t]*//p' | head -1)
	machine="$cpu_model, $(nproc) cores, Linux $(uname -r), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	rev=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
	versions="dualnsd $rev; $(nsd -v 2>&1 | head -1); Knot DNS $(knotd --version 2>&1 | awk '{ print $NF; exit }'); $(dnsperf -h 2>&1 | grep -i '^version' | head -1 | sed 's/Version/dnsperf/')"
}
