#!/bin/bash
# contrib/bench/dnssec.sh: dualnsd, NSD and Knot DNS serving the same DNSSEC-signed zone (NSEC3).
#
# Usage: contrib/bench/dnssec.sh [--quick] [--help]
#   ROUNDS=3 DURATION=10 BIG_NAMES=500000 KEEP_TMP=1 OTHER_MAX=10 RETRIES=2 CAP_PCT=50 as run.sh.
#   FIXED_QPS=50000: the rate of the CPU-per-query runs (signed answers are larger: every
#   server sustains this rate).
#   BIG_SIGNED=FILE: a big.test zone already signed (gen.py bigzone, then ldns-signzone as
#   below) instead of signing one here: signing a million records takes minutes.
#   SKIP=big: leave out the big zone; BIG_ROUNDS=N: load it N times per server (default ROUNDS).
#   --quick    ROUNDS=1 DURATION=3 BIG_NAMES=100000: a smoke run of a few minutes
# The zones are gen.py's, signed with ldns-keygen -a ECDSAP256SHA256 (a KSK and a ZSK) and
# ldns-signzone -n -t 0 (NSEC3, no extra iterations, empty salt: RFC 9276), signatures valid
# until 2090 (later dates wrap in RRSIG serial arithmetic, RFC 4034 section 3.1.5).
# Writes contrib/bench/results/dnssec.{txt,csv}; everything else goes to a temporary folder.
# Talks only to 127.0.0.1 on free ports; stops everything it started, also on Ctrl-C.
# SPDX-License-Identifier: BSD-3-Clause
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# What the benchmark scripts share (with tests/lib/common.sh: free_port, the NSD and Knot
# configurations, processes stopped on exit): options, settings, tools, servers, figures.
me=dnssec.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"
extra_option() { return 1; }
bench_options 16 "$@"
BIG_SIGNED=${BIG_SIGNED:-}
BIG_ROUNDS=${BIG_ROUNDS:-$ROUNDS}
FIXED_QPS=${FIXED_QPS:-50000}
servers="dualnsd nsd knot"
bench_tools "dnsperf:dnsperf nsd:nsd knotd:knot ldns-signzone:ldnsutils ldns-keygen:ldnsutils
python3:python3 taskset:util-linux getconf:libc-bin"
bench_dualnsd
bench_tmp dualns-dnssec

# sign ORIGIN ZONEFILE OUT: a KSK and a ZSK (ECDSA P-256), then the zone signed with NSEC3.
sign() {
	local ksk zsk
	mkdir -p "$tmp/keys.$1"
	ksk=$(cd "$tmp/keys.$1" && ldns-keygen -a ECDSAP256SHA256 -k "$1")
	zsk=$(cd "$tmp/keys.$1" && ldns-keygen -a ECDSAP256SHA256 "$1")
	interruptible ldns-signzone -n -t 0 -e 20900101000000 -f "$3" "$2" "$tmp/keys.$1/$ksk" "$tmp/keys.$1/$zsk"
}

# --- inputs -------------------------------------------------------------------------------------
# The query files: "mix" is run.sh's mix with DO on every EDNS query (70% of them, the rest
# without EDNS); the other three isolate the cost of denial with NSEC3: NXDOMAIN without
# DO (EDNS only), NXDOMAIN with DO, and a positive A answer with DO.
log "dnssec.sh: generating and signing the zone, writing queries in $tmp"
python3 "$here/gen.py" zone "$tmp"
sign bench.test "$tmp/bench.test.zone" "$tmp/bench.test.signed"
# gen_queries NAME ARGS...: NAME.bin (100000 queries) and check/NAME.bin (5000, for the check)
gen_queries() {
	local n=$1
	shift
	python3 "$here/gen.py" queries "$tmp" 100000 "$@" name="$n"
	python3 "$here/gen.py" queries "$tmp/check" 5000 "$@" name="$n"
}
mkdir -p "$tmp/check"
gen_queries mix edns=0.70 do=1
gen_queries nx edns=1 do=0 only=NXDOMAIN
gen_queries nxdo edns=1 do=1 only=NXDOMAIN
gen_queries posdo edns=1 do=1 "only=positive A"
files="mix nx nxdo posdo"

# shellcheck disable=SC2086
serve_all bench.test "$tmp/bench.test.signed" h1.bench.test $servers
# Same answers everywhere: the RCODE mix of a pass of each file must agree.
for f in $files; do
	log "dnssec.sh: $f:"
	# shellcheck disable=SC2086
	rcode_check "$tmp/check/$f.bin" $servers
done

# --- measurements -------------------------------------------------------------------------------
# The average answer size of a dnsperf run, in bytes (DO makes the answers larger: the check
# that the DO bit went out).
answer_size() { awk '/Average packet size/ { gsub(",", ""); print $NF; exit }' "$1"; }
cap_setup || true
start_date=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
quiet=no
[ -e /tmp/quiet-bench ] && quiet=yes
for r in $(seq "$ROUNDS"); do
	QUERIES=$tmp/mix.bin
	# shellcheck disable=SC2086
	for s in $(round_order $((r - 1)) $servers); do
		# shellcheck disable=SC2086
		udp_saturated mix_udp "$s" "$r" "$tmp/mix_udp.$s.$r" $UDP_OPTS
		record mix_size "$s" "$(answer_size "$tmp/mix_udp.$s.$r")"
	done
	# shellcheck disable=SC2086
	for s in $(round_order $((r - 1)) $servers); do
		# shellcheck disable=SC2086
		udp_capped mix_capped "$s" "$r" "$tmp/mix_capped.$s.$r" $UDP_OPTS
	done
	# shellcheck disable=SC2086
	for s in $(round_order $((r - 1)) $servers); do
		# shellcheck disable=SC2086
		cpu_per_query mix_cpu "$s" "$r" "$tmp/mix_cpu.$s.$r" $UDP_OPTS -Q "$FIXED_QPS"
	done
	for f in nx nxdo posdo; do
		QUERIES=$tmp/$f.bin
		# shellcheck disable=SC2086
		for s in $(round_order $((r - 1)) $servers); do
			# shellcheck disable=SC2086
			udp_saturated "${f}_udp" "$s" "$r" "$tmp/${f}_udp.$s.$r" $UDP_OPTS
			record "${f}_size" "$s" "$(answer_size "$tmp/${f}_udp.$s.$r")"
			# shellcheck disable=SC2086
			cpu_per_query "${f}_cpu" "$s" "$r" "$tmp/${f}_cpu.$s.$r" $UDP_OPTS -Q "$FIXED_QPS"
		done
	done
done
for s in $servers; do
	stop_pid "${pid[$s]}" 10
done

# --- the big zone, signed: time to the first SOA answer and memory ------------------------------
big_records=""
if ! skipping big; then
	if [ -n "$BIG_SIGNED" ]; then
		big=$BIG_SIGNED
	else
		log "dnssec.sh: signing big.test ($BIG_NAMES names, A + TXT each)"
		python3 "$here/gen.py" bigzone "$tmp" "$BIG_NAMES"
		big=$tmp/big.test.signed
		sign big.test "$tmp/big.test.zone" "$big"
	fi
	big_records=$(grep -cv '^[;$]' "$big")
	for r in $(seq "$BIG_ROUNDS"); do
		# shellcheck disable=SC2086
		for s in $(round_order $((r - 1)) $servers); do
			load_measure "$s" "$r" "$big" big.test SOA
		done
	done
fi

# --- report -------------------------------------------------------------------------------------
mkdir -p "$results"
machine_versions
q=$(awk -v n="$FIXED_QPS" 'BEGIN { printf "%dk", n / 1000 }')
# metric key, label, unit, value format
metrics="mix_udp|mix 70% DO: UDP qps, saturated|qps|%.0f
mix_capped|mix 70% DO: UDP qps, $CAP_PCT% CPU|qps|%.0f
mix_cpu|mix 70% DO: CPU/query at $q qps|us|%.2f
mix_size|mix 70% DO: answer size|bytes|%.0f
nx_udp|NXDOMAIN no DO: UDP qps, saturated|qps|%.0f
nx_cpu|NXDOMAIN no DO: CPU/query at $q|us|%.2f
nx_size|NXDOMAIN no DO: answer size|bytes|%.0f
nxdo_udp|NXDOMAIN DO: UDP qps, saturated|qps|%.0f
nxdo_cpu|NXDOMAIN DO: CPU/query at $q|us|%.2f
nxdo_size|NXDOMAIN DO: answer size|bytes|%.0f
posdo_udp|positive A DO: UDP qps, saturated|qps|%.0f
posdo_cpu|positive A DO: CPU/query at $q|us|%.2f
posdo_size|positive A DO: answer size|bytes|%.0f
load|signed big zone: load to SOA answer|s|%.2f
rss|signed big zone: resident memory|MB|%.0f"
csv=$results/dnssec.csv
echo "metric,unit,dualnsd,nsd,knot,dualnsd_per_nsd,dualnsd_per_knot" >"$csv"
{
	echo "dualns DNSSEC benchmark, $start_date"
	echo "machine: $machine"
	echo "software: $versions; $(ldns-signzone -v 2>&1 | head -1)"
	if [ $quiet = yes ]; then
		echo "load average before the run: $load_before (the machine was declared quiet)"
	else
		echo "load average before the run: $load_before (other work shared the machine during this run)"
	fi
	echo "method: $ROUNDS rounds of $DURATION s per run, servers in turn (the first rotating by round), medians;"
	echo "  every server on 127.0.0.1, one worker, rate limiting off, pinned to CPU $SERVER_CPU; dnsperf on CPU $LOAD_CPU;"
	echo "  UDP: dnsperf $UDP_OPTS; CPU: utime+stime at dnsperf -Q $FIXED_QPS over the queries answered;"
	echo "  zone: gen.py's bench.test, $(grep -cv '^[;$]' "$tmp/bench.test.zone") records, signed: $(grep -cv '^[;$]' "$tmp/bench.test.signed") records;"
	echo "  keys: ECDSAP256SHA256 KSK + ZSK; NSEC3 1 0 0 - (no extra iterations, empty salt), no opt-out;"
	if [ -n "$big_records" ]; then
		if [ -n "$BIG_SIGNED" ]; then
			echo "  big zone: ${BIG_SIGNED##*/} (BIG_SIGNED, signed before this run as below), $big_records records;"
		else
			echo "  big zone: gen.py bigzone $BIG_NAMES (A + TXT each, $((BIG_NAMES * 2)) records) signed: $big_records records;"
		fi
		echo "  loaded $BIG_ROUNDS times by each server; time from its start to its first SOA answer (polled every 10 ms), memory 1 s later"
		echo "  (VmRSS; NSD: Pss summed over its processes)"
	fi
	echo "query files (mix: run.sh's mix, DO on every EDNS query; nx, nxdo, posdo: one category, all EDNS):"
	for f in $files; do
		echo "  $f: $(tr -s ' ' <"$tmp/$f.mix.txt" | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
	done
	echo
	printf '%-40s %10s %10s %10s %9s %9s\n' "" dualnsd NSD Knot "/NSD" "/Knot"
	echo "$metrics" | while IFS='|' read -r key label unit fmt; do
		d=$(median "$tmp/val.$key.dualnsd") n=$(median "$tmp/val.$key.nsd") k=$(median "$tmp/val.$key.knot")
		[ -n "$d$n$k" ] || continue
		rn=$(awk -v a="$d" -v b="$n" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b }')
		rk=$(awk -v a="$d" -v b="$k" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b }')
		printf '%-40s %10s %10s %10s %9s %9s\n' "$label ($unit)" "$(fmt_num "$fmt" "$d")" "$(fmt_num "$fmt" "$n")" \
			"$(fmt_num "$fmt" "$k")" "${rn:--}" "${rk:--}"
		echo "$key,$unit,$d,$n,$k,$rn,$rk" >>"$csv"
	done
	echo "(qps: higher is better; us, s, MB: lower is better; a ratio is dualnsd / the other server)"
	echo "paired by round (dualnsd / the other server in the same round: median of the rounds, lowest-highest):"
	echo "$metrics" | while IFS='|' read -r key label unit fmt; do
		case $key in *_size) continue ;; esac
		paired_row "$key" "$label" 38 ",,," ""
	done
	# The cost of NSEC3 denial for each server against itself: CPU per query of NXDOMAIN
	# with DO (two hashes computed per query: next closer and wildcard, the closest encloser
	# found among the zone's own hashes) over NXDOMAIN without DO and over a signed positive answer.
	echo "the cost of NSEC3 NXDOMAIN, CPU per query, each server against itself, paired by round:"
	printf '  %-28s %-18s %-18s %s\n' "" dualnsd NSD Knot
	for c in nx posdo; do
		line="" row=""
		for s in $servers; do
			v=$(paired_files "$tmp/val.nxdo_cpu.$s" "$tmp/val.${c}_cpu.$s" "$tmp/paired.nxdo.$c.$s")
			line="$line$(printf ' %-18s' "${v:--}")" row="$row,${v%% *}"
		done
		[ $c = nx ] && label="NXDOMAIN DO / no DO" || label="NXDOMAIN DO / positive A DO"
		printf '  %-27s%s\n' "$label" "$line"
		echo "nxdo_per_${c}_cpu,ratio$row,," >>"$csv"
	done
	echo "other work on CPU $SERVER_CPU during the saturated runs (median % of the CPU, not the server):"
	echo "  dualnsd $(median "$tmp/val.foreign.dualnsd")%, NSD $(median "$tmp/val.foreign.nsd")%, Knot $(median "$tmp/val.foreign.knot")%;"
	echo "  runs over $OTHER_MAX% were repeated up to $RETRIES times; $disturbed kept although still disturbed"
} | tee "$results/dnssec.txt"
log "dnssec.sh: wrote $results/dnssec.txt and dnssec.csv"
