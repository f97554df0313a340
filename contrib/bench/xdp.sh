#!/bin/bash
# contrib/bench/xdp.sh: dualnsd's XDP path against its sockets, Knot DNS in both modes and a UDP echo, over a veth pair.
#
# Usage: contrib/bench/xdp.sh [--quick] [--help]
#   RATE=50000: the fixed offered load (dnsperf -Q) of the CPU figures; the saturated run has no -Q.
#   CAP_PCT=50: the capped run, saturated with the server process in a CPU cgroup allowed that %
#   of one CPU (needs root and a cgroup fs with the cpu controller; left out otherwise).
#   ROUNDS=3 DURATION=10: rounds, and seconds per run. Each round starts every server in turn,
#   alone (two XDP programs cannot share the interface, and every server takes port 53 of the
#   same address), measures it at RATE and saturated, and stops it.
#   SERVERS="dualnsd-xdp dualnsd echo knot-xdp knot": the servers; dualnsd-xdp is left out (the
#   report says so) when this build of dualnsd has no --xdp.
#   OTHER_MAX=10 RETRIES=2: a run during which other processes used more than OTHER_MAX % of
#   the machine (it may be shared) is run again, up to RETRIES times.
#   BENCH_LOCK=/tmp/bench.lock: held (flock) while a server runs and is measured, so that another
#   benchmark taking the same lock never measures at the same time (empty: no lock).
#   KEEP_TMP=1 keeps the temporary folder (zone, queries, dnsperf outputs, logs).
#   --quick    ROUNDS=1 DURATION=3: a smoke run of about 2 minutes
# Needs root: the servers run in a network namespace on 198.51.100.1 port 53, dnsperf in
# another, joined by a veth pair (tests/lib/netns.sh); nothing touches the root namespace.
# Writes contrib/bench/results/xdp.{txt,csv}.
# SPDX-License-Identifier: BSD-3-Clause
set -eu

here=$(cd "$(dirname "$0")" && pwd)
me=xdp.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
# shellcheck source-path=SCRIPTDIR source=../../tests/lib/netns.sh
. "$top/tests/lib/netns.sh"
extra_option() { return 1; }
bench_options 19 "$@"
RATE=${RATE:-50000}
SERVERS=${SERVERS:-dualnsd-xdp dualnsd echo knot-xdp knot}
BENCH_LOCK=${BENCH_LOCK-/tmp/bench.lock}
DNS_PORT=53

why=$(netns_missing)
if [ -n "$why" ]; then
	log "$me: cannot run here: $why"
	exit 1
fi
bench_tools "dnsperf:dnsperf knotd:knot python3:python3 cc:gcc taskset:util-linux getconf:libc-bin
flock:util-linux ethtool:ethtool nstat:iproute2"
bench_dualnsd
bench_tmp dualns-xdp
# The XDP program dualnsd loads: the build tree's (tests do the same), not an installed one.
export DUALNSD_XDP_OBJECT=${DUALNSD_XDP_OBJECT:-$top/src/xdp_dns.bpf.o}
missing_note=""
if ! "$DUALNSD" --help 2>&1 | grep -q -- '--xdp'; then
	missing_note="dualnsd-xdp: not measured ($DUALNSD has no --xdp)"
	SERVERS=$(echo " $SERVERS " | sed 's/ dualnsd-xdp / /; s/^ *//; s/ *$//')
	log "$me: $missing_note"
fi

log "$me: generating the zone and queries in $tmp"
python3 "$here/gen.py" zone "$tmp"
python3 "$here/gen.py" queries "$tmp" 100000
cc -O2 -o "$tmp/echo" "$here/echo.c"
netns_setup || { log "$me: the namespaces could not be set up"; exit 1; }
cap_setup || true
log "$me: namespaces $NETNS_SRV ($NETNS_SRV_IF, $NETNS_SRV4) and $NETNS_CLI ($NETNS_CLI_IF, $NETNS_CLI4)"

# --- the servers: each in the server's namespace on $NETNS_SRV4 port 53, pinned to SERVER_CPU ----
# srv_start NAME: starts it, sets pid[NAME]; its log is $tmp/NAME.log.
# Started with ip netns exec itself, not ns_srv: a function run in the background is a subshell,
# and stopping it would leave the server running.
srv_dualnsd() { # ARGS...: dualnsd with one worker and rate limiting off (lib.sh), then ARGS
	# shellcheck disable=SC2086
	ip netns exec "$NETNS_SRV" taskset -c $SERVER_CPU "$DUALNSD" $DUALNSD_OPTS -p $DNS_PORT \
		-l "$NETNS_SRV4" "$@" "bench.test=$tmp/bench.test.zone" 2>"$tmp/$s.log" &
	started_pid=$!
}
srv_knot() { # XDP?: Knot with one worker of each kind; with XDP its UDP on the interface
	KNOT_LISTEN=$NETNS_SRV4 REF_WRAP=(ip netns exec "$NETNS_SRV" taskset -c "$SERVER_CPU") KNOT_SECTIONS=
	# Knot 3.2's xdp section: XDP on the interface for UDP; its TCP stays on the kernel's
	# sockets of server.listen (README.md, "xdp.sh").
	[ "$1" = yes ] && KNOT_SECTIONS=$(printf 'xdp:\n    listen: %s@%s\n    udp: on\n    tcp: off' "$NETNS_SRV_IF" $DNS_PORT)
	knot_start "$tmp/$s" "$tmp/$s.log" $DNS_PORT bench.test "$tmp/bench.test.zone"
}
srv_start() {
	local s=$1
	case $s in
	dualnsd-xdp) srv_dualnsd --xdp "$NETNS_SRV_IF" ;;
	dualnsd) srv_dualnsd ;;
	echo)
		ip netns exec "$NETNS_SRV" taskset -c $SERVER_CPU "$tmp/echo" $DNS_PORT "$NETNS_SRV4" 2>"$tmp/$s.log" &
		started_pid=$!
		;;
	knot-xdp) srv_knot yes ;;
	knot) srv_knot no ;;
	*) log "$me: unknown server $s"; exit 2 ;;
	esac
	case $s in knot*) pid[$s]=$KNOT_PID ;; *) pid[$s]=$started_pid && track_pid "$started_pid" ;; esac
	if [ "$s" = echo ]; then
		wait_for 20 grep -q ready "$tmp/echo.log" || { log "$me: the echo did not start"; exit 1; }
	elif ! ns_cli python3 "$here/ready.py" "$NETNS_SRV4@$DNS_PORT" h1.bench.test 60 >/dev/null; then
		log "$me: $s did not answer on $NETNS_SRV4 port $DNS_PORT from the client's namespace:"
		cat "$tmp/$s.log" >&2
		exit 1
	fi
	# ip netns exec and taskset exec the server: the pid is the server's own. Knot pins its
	# workers itself: every thread back on the server CPU.
	pin_tree "${pid[$s]}"
}
srv_stop() {
	stop_pid "${pid[$1]}" 10
	# A server killed before it detached leaves its program on the interface: the next one's
	# attach would fail.
	ns_srv ip link set dev "$NETNS_SRV_IF" xdp off 2>/dev/null || true
}

# --- figures ------------------------------------------------------------------------------------
# machine: the busy and the softirq jiffies of every CPU (the "cpu" line of /proc/stat: user,
# nice, system, irq, softirq, steal), "BUSY SOFTIRQ".
machine() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $7 + $8; exit }' /proc/stat; }
# children_ticks: this shell's reaped children's utime + stime (bash's times, run in this shell:
# a subshell would count its own), in ticks: dnsperf's CPU, which /proc no longer shows once it
# has exited.
children_ticks() {
	times >"$tmp/times"
	awk -v t="$ticks" 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } printf "%.0f\n", s * t }' "$tmp/times" >"$tmp/times.ticks"
	read -r children <"$tmp/times.ticks"
}
# kernel_udp_in: datagrams the server namespace's kernel delivered to UDP sockets (the XDP
# path's go past it).
kernel_udp_in() { ns_srv nstat -asz UdpInDatagrams | awk '$1 == "UdpInDatagrams" { print $2 }'; }
ncpu=$(nproc)
us() { awk -v d="$1" -v t="$ticks" -v n="$2" 'BEGIN { if (n > 0) printf "%.3f", d / t * 1e6 / n }'; }

# point KIND SERVER ROUND: dnsperf from the client's namespace on LOAD_CPU (KIND fixed: at RATE,
# sat: no limit), run again while other processes used more than OTHER_MAX % of the machine.
# Records qps, machine CPU, server CPU and softirq per query, lost, the kernel's UDP share.
point() {
	local kind=$1 s=$2 r=$3 o rate="" try m0 m1 c0 c1 d0 d1 u0 u1 n lost mus pus sus xus other kin
	o=$tmp/$kind.$s.$r
	[ "$kind" != fixed ] || rate="-Q $RATE"
	# capped: saturated with the server process in the CPU cgroup (cap_setup), so that the
	# server, not dnsperf, is what runs out (run.sh's capped row). The XDP program itself runs
	# in the kernel's receive path, outside any process, and is not capped.
	[ "$kind" != capped ] || cap_move "${pid[$s]}" "$cap_dir"
	for try in $(seq 0 "$RETRIES"); do
		u0=$(kernel_udp_in) c0=$(cpu_ticks "${pid[$s]}")
		children_ticks
		d0=$children m0=$(machine)
		# shellcheck disable=SC2086
		interruptible ip netns exec "$NETNS_CLI" taskset -c $LOAD_CPU dnsperf -B -d "$QUERIES" \
			-s "$NETNS_SRV4" -p $DNS_PORT -l "$DURATION" $UDP_OPTS $rate >"$o" 2>&1 || true
		m1=$(machine)
		children_ticks
		d1=$children c1=$(cpu_ticks "${pid[$s]}") u1=$(kernel_udp_in)
		n=$(field "$o" 'Queries completed') lost=$(field "$o" 'Queries lost')
		mus=$(us $((${m1% *} - ${m0% *})) "$n") pus=$(us $((c1 - c0)) "$n") sus=$(us $((${m1#* } - ${m0#* })) "$n")
		# The path's own: the server, dnsperf and the kernel's interrupt work, without what other
		# processes on a shared machine did meanwhile.
		xus=$(us $((c1 - c0 + d1 - d0 + ${m1#* } - ${m0#* })) "$n")
		# What is not the server, dnsperf or the kernel's interrupt work, as a % of the machine.
		other=$(awk -v b=$((${m1% *} - ${m0% *} - (${m1#* } - ${m0#* }))) -v c=$((c1 - c0)) -v d=$((d1 - d0)) \
			-v t="$ticks" -v l="$DURATION" -v k="$ncpu" 'BEGIN { f = (b - c - d) / (t * l * k) * 100; printf "%.0f", f < 0 ? 0 : f }')
		kin=$(awk -v u=$((u1 - u0)) -v n="$n" 'BEGIN { if (n > 0) printf "%.0f", u / n * 100 }')
		log "$me: round $r/$ROUNDS ${kind/fixed/at $RATE qps} $s: $(field "$o" 'Queries per second') qps, lost $lost," \
			"machine $mus us/query (softirq $sus, path $xus), server $pus us/query, kernel UDP sockets took ${kin:-?}%, other work $other%"
		[ "$other" -le "$OTHER_MAX" ] && break
		if [ "$try" -lt "$RETRIES" ]; then log "$me:   disturbed (other work > $OTHER_MAX%): again"; else disturbed=$((disturbed + 1)); fi
	done
	[ "$kind" != capped ] || cap_move "${pid[$s]}" "$cap_parent"
	record "qps.$kind" "$s" "$(field "$o" 'Queries per second')"
	record "lost.$kind" "$s" "$(awk -v l="$lost" -v n="$n" 'BEGIN { if (l + n > 0) printf "%.3f", l / (l + n) * 100 }')"
	record "machine.$kind" "$s" "$mus"
	record "path.$kind" "$s" "$xus"
	record "proc.$kind" "$s" "$pus"
	record "softirq.$kind" "$s" "$sus"
	record "kernel.$kind" "$s" "$kin"
	echo "$r,$s,$kind,${rate#-Q },$(field "$o" 'Queries per second'),$n,$lost,$mus,$xus,$pus,$sus,$kin,$other" >>"$csv"
}

csv=$tmp/xdp.csv
echo "round,server,run,offered_qps,qps,answered,lost,machine_us_per_query,path_us_per_query,server_us_per_query,softirq_us_per_query,kernel_udp_pct,other_pct" >"$csv"
start_date=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$ROUNDS"); do
	# shellcheck disable=SC2086
	for s in $(round_order $((r - 1)) $SERVERS); do
		bench_lock
		log "$me: round $r/$ROUNDS: $s"
		srv_start "$s"
		point fixed "$s" "$r"
		point sat "$s" "$r"
		[ -z "$cap_dir" ] || point capped "$s" "$r"
		srv_stop "$s"
		bench_unlock
	done
done

# --- report -------------------------------------------------------------------------------------
machine_versions
mkdir -p "$results"
cp "$csv" "$results/xdp.csv"
metrics="qps.fixed|qps at $((RATE / 1000))k offered|%.0f
lost.fixed|lost at $((RATE / 1000))k offered (%)|%.2f
machine.fixed|machine CPU per query (us)|%.2f
softirq.fixed|  of which softirq (us)|%.2f
path.fixed|server+dnsperf+softirq per query (us)|%.2f
proc.fixed|server process CPU per query (us)|%.2f
kernel.fixed|kernel UDP socket share (%)|%.0f
qps.sat|qps saturated|%.0f
machine.sat|machine CPU per query, saturated (us)|%.2f
path.sat|server+dnsperf+softirq, saturated (us)|%.2f
proc.sat|server CPU per query, saturated (us)|%.2f
qps.capped|qps, server process at $CAP_PCT% of a CPU|%.0f"
# The pairs whose paired ratios are printed, when both ran.
pairs="dualnsd-xdp/dualnsd dualnsd-xdp/knot-xdp dualnsd-xdp/echo knot-xdp/knot dualnsd/knot dualnsd/echo"
{
	echo "dualns XDP benchmark, $start_date"
	echo "machine: $machine"
	echo "software: $versions"
	echo "load average before the run: $load_before (the machine may be shared)"
	echo "method: $ROUNDS rounds of $DURATION s per run; each round every server alone in turn, medians;"
	echo "  servers in one network namespace on $NETNS_SRV4 port $DNS_PORT (veth, native XDP on the server's"
	echo "  end, AF_XDP in copy mode), pinned to CPU $SERVER_CPU; dnsperf $UDP_OPTS in the other, pinned to CPU $LOAD_CPU;"
	echo "  machine CPU: busy jiffies of all $ncpu CPUs (/proc/stat: user, nice, system, irq, softirq, steal,"
	echo "  dnsperf's own included) over the queries answered; server+dnsperf+softirq: the same without"
	echo "  other processes (the machine may be shared); server: its utime+stime over the same;"
	echo "  capped: saturated with the server process in a CPU cgroup of $CAP_PCT% of one CPU"
	[ -z "$missing_note" ] || echo "$missing_note"
	echo
	printf '%-40s' ""
	for s in $SERVERS; do printf ' %11s' "$s"; done
	echo
	echo "$metrics" | while IFS='|' read -r key label fmt; do
		printf '%-40s' "$label"
		row="$key"
		for s in $SERVERS; do
			v=$(median "$tmp/val.$key.$s")
			printf ' %11s' "$(fmt_num "$fmt" "$v")"
			row="$row,$s=$v"
		done
		echo
		echo "median,$row" >>"$results/xdp.csv"
	done
	echo "paired by round (the first server over the second in the same round: median, lowest-highest):"
	for p in $pairs; do
		a=${p%/*} b=${p#*/}
		case " $SERVERS " in *" $a "*) ;; *) continue ;; esac
		case " $SERVERS " in *" $b "*) ;; *) continue ;; esac
		for key in machine.fixed path.fixed proc.fixed qps.sat qps.capped; do
			v=$(paired_files "$tmp/val.$key.$a" "$tmp/val.$key.$b" "$tmp/paired.$key.$a.$b")
			[ -n "$v" ] || continue
			printf '  %-24s %-36s %s\n' "$p" "$(echo "$metrics" | awk -F'|' -v k="$key" '$1 == k { print $2 }')" "$v"
			echo "paired,$key,$p,${v%% *}" >>"$results/xdp.csv"
		done
	done
	echo "runs repeated when other processes took over $OTHER_MAX% of the machine; $disturbed kept although still disturbed"
} | tee "$results/xdp.txt"
log "$me: wrote $results/xdp.txt and xdp.csv"
