#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# rrl.sh: response rate limiting of UDP answers (BIND/NSD RRL; dualnsd(8), --rrl-*) on the
# real daemon with two workers: a paced burst from one loopback /24 is answered, slipped
# (bare, TC=1) and dropped in the shares the rate and slip give; TCP from the same address
# is answered in full; another /24 is not limited; the counters of CH TXT stats.dualns.;
# the start and stop log lines; --rrl-log-only and --rrl-exempt. Then the same burst
# against NSD (rrl-ratelimit, rrl-slip) and Knot DNS (mod-rrl): the shares fall within
# RRL_BAND of theirs.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"

BURST="$top_srcdir/tests/system/rrlburst.py"
ZONE="$top_srcdir/zones/example.com.zone"
# The burst: COUNT queries in about one second, far above RATE. Every server lets about
# RATE through (Knot about five times RATE: its bucket holds more), then slips every second
# of the rest: about half of what is over the rate slips, half is dropped.
RATE=20
COUNT=1000
QPS=1000
RRL_BAND=0.15

# burst SOURCE PORT [ARGS...]: rrlburst.py's line.
burst() {
	local source=$1 port=$2
	shift 2
	"$PYTHON3" "$BURST" --port "$port" --source "$source" --count "$COUNT" --rate "$QPS" "$@"
}

# share LINE KEY: KEY's count over sent, 3 decimals.
share() {
	awk -v n="$(kv "$2" "$1")" -v s="$(kv sent "$1")" 'BEGIN { printf "%.3f", n / s }'
}

# within A B BAND: |A - B| <= BAND.
within() {
	awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { x = a - b; if (x < 0) x = -x; exit !(x <= d) }'
}

# stats_word NAME: one counter of CH TXT stats.dualns. from the running dualnsd.
stats_word() {
	qdig "$PORT" +short CH TXT stats.dualns. | tr ' ' '\n' | tr -d '"' | sed -n "s/^$1=//p"
}

# ---- the burst from 127.0.0.2: limited, about half of the rest slips (slip 2)
start_dualnsd --workers 2 --rrl-rate "$RATE" --rrl-slip 2 "$ZONE"
expect_match "the start line says the setting (dualnsd(8))" "$(cat "$DUALNSD_LOG")" \
	"rrl: rate $RATE/s, slip 2, /24 /56, 1048576 buckets \\(8 MiB\\)"
r=$(burst 127.0.0.2 "$PORT")
note "dualnsd: $r"
answered=$(kv answered "$r") slipped=$(kv slipped "$r") dropped=$(kv dropped "$r")
expect_ge "burst from 127.0.0.2: at least the rate answered ($RATE/s)" "$answered" "$RATE"
expect_le "burst from 127.0.0.2: at most 3 seconds' rate answered" "$answered" $((RATE * 3))
limited=$((slipped + dropped))
expect_ge "burst: over the rate some slip (TC=1, no records)" "$slipped" $((limited * 4 / 10))
expect_ge "burst: over the rate some are dropped" "$dropped" $((limited * 4 / 10))
DUALNSD_SHARES="$(share "$r" answered) $(share "$r" slipped) $(share "$r" dropped)"

# TCP is never limited, even from the address whose bucket was just limited.
r=$(burst 127.0.0.9 "$PORT" --tcp --count 300)
expect_eq "300 TCP queries from 127.0.0.9 right after: all answered in full" "$(kv answered "$r")" 300
# Another /24 has its own bucket.
r=$(burst 127.1.0.9 "$PORT" --count "$RATE" --rate 500)
expect_eq "$RATE queries from 127.1.0.9 (another /24): all answered" "$(kv answered "$r")" "$RATE"

expect_match "a start line names the bucket, the rate and the slip" "$(cat "$DUALNSD_LOG")" \
	"rrl: limiting 127\\.0\\.0\\.0/24 positive www\\.example\\.com\\. \\(rate $RATE/s, slip 2\\)"
# A slow machine may stretch the burst over a few seconds, in which the bucket may pass
# once more and be limited again: a line or two more, never one per query.
expect_le "a start line for the bucket, not one per query" \
	"$(grep -c 'rrl: limiting 127.0.0.0/24' "$DUALNSD_LOG")" 3
stop_line() { grep -q 'rrl: stopped limiting 127\.0\.0\.0/24 positive www\.example\.com\.$' "$DUALNSD_LOG"; }
wait_for 10 stop_line
expect_eq "a stop line once the bucket is idle" "$(stop_line && echo yes)" yes
rl=$(stats_word rrl-limited) rs=$(stats_word rrl-slipped) rd=$(stats_word rrl-dropped)
expect_eq "stats.dualns.: rrl-slipped + rrl-dropped = rrl-limited" "$((rs + rd))" "$rl"
expect_ge "stats.dualns.: rrl-limited counts the burst's limited answers" "$rl" "$limited"
expect_ge "stats.dualns.: rrl-slipped at least the slipped answers seen" "$rs" "$slipped"
stop_dualnsd

# ---- --rrl-log-only: everything is answered; the lines say what would have been limited.
start_dualnsd --workers 2 --rrl-rate "$RATE" --rrl-log-only "$ZONE"
r=$(burst 127.0.0.2 "$PORT")
expect_eq "--rrl-log-only: every query of the burst answered" "$(kv answered "$r")" "$COUNT"
expect_match "--rrl-log-only: the start line says log-only" "$(cat "$DUALNSD_LOG")" \
	"rrl: \\(log-only\\) limiting 127\\.0\\.0\\.0/24 positive www\\.example\\.com\\."
expect_ge "--rrl-log-only: rrl-limited counted" "$(stats_word rrl-limited)" 1
expect_eq "--rrl-log-only: nothing dropped" "$(stats_word rrl-dropped)" 0
stop_dualnsd

# ---- --rrl-exempt: the exempt prefix is never limited, the rest still is; the default
# rate is 200/s.
start_dualnsd --rrl-exempt 127.0.0.0/24 "$ZONE"
expect_match "default on: rate 200/s, slip 2 (dualnsd(8))" "$(cat "$DUALNSD_LOG")" \
	"rrl: rate 200/s, slip 2, /24 /56, 1048576 buckets \\(8 MiB\\), 1 exempt"
r=$(burst 127.0.0.2 "$PORT")
expect_eq "--rrl-exempt 127.0.0.0/24: every query from 127.0.0.2 answered" "$(kv answered "$r")" "$COUNT"
r=$(burst 127.1.0.9 "$PORT")
expect_le "outside the exempt prefix the default rate applies" "$(kv answered "$r")" 600
stop_dualnsd

start_dualnsd --rrl-rate 0 "$ZONE"
expect_match "--rrl-rate 0: the start line says off" "$(cat "$DUALNSD_LOG")" "rrl: off"
stop_dualnsd

# ---- the references on the same burst
# knot_rrl_start DIR ZONE: Knot DNS with mod-rrl (rate-limit RATE, slip 2) on a free port.
knot_rrl_start() {
	local dir=$1 zone=$2
	KNOT_PORT=$(free_port) || fail "no free port"
	mkdir -p "$dir"
	KNOT_MODULE=$'mod-rrl:\n  - id: ref\n    rate-limit: '"$RATE"$'\n    slip: 2' \
		knot_start "$dir" "$dir/knot.log" "$KNOT_PORT" example.com "$zone"
	SYS_LOGS+=("$dir/knot.log")
	wait_soa "$KNOT_PORT" example.com || fail "Knot with mod-rrl did not serve example.com"
}

# compare NAME LINE: the shares of LINE within RRL_BAND of dualnsd's.
compare() {
	local name=$1 line=$2 i=1 key want got
	note "$name: $line"
	for key in answered slipped dropped; do
		want=$(echo "$DUALNSD_SHARES" | cut -d' ' -f$i)
		got=$(share "$line" "$key")
		if within "$want" "$got" "$RRL_BAND"; then
			ok "the share $key by dualnsd ($want) is within $RRL_BAND of $name's ($got)"
		else
			bad "the share $key by dualnsd ($want) is within $RRL_BAND of $name's ($got)"
		fi
		i=$((i + 1))
	done
}

if command -v nsd >/dev/null 2>&1; then
	d=$(sys_tmpdir)
	sys_copy_zone "$ZONE" "$d"
	# NSD's own RRL lines come after the starter's rrl-ratelimit: 0 and override it.
	ref_start_free nsd "$d" example.com "$d/example.com.zone" "rrl-ratelimit: $RATE" \
		"rrl-slip: 2" "rrl-ipv4-prefix-length: 24" || fail "NSD with RRL did not serve"
	SYS_LOGS+=("$REF_LOG")
	compare NSD "$(burst 127.0.0.2 "$REF_PORT")"
else
	note "nsd not installed: no comparison with NSD"
fi
if command -v knotd >/dev/null 2>&1; then
	d=$(sys_tmpdir)
	sys_copy_zone "$ZONE" "$d"
	knot_rrl_start "$d" "$d/example.com.zone"
	compare Knot "$(burst 127.0.0.2 "$KNOT_PORT")"
else
	note "knotd not installed: no comparison with Knot"
fi
