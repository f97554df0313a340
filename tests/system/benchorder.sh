#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# benchorder.sh: the benchmarks (contrib/bench/) measure the servers in an order that rotates
# by round (round_order in contrib/bench/lib.sh), so that no server is always the first one
# measured after the load, the placement or the round changes. Runs no server.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

bench=$top_srcdir/contrib/bench

# order N SERVERS...: lib.sh's round_order, sourced in a shell of its own as the scripts
# source it (lib.sh sets up the benchmark's arrays and traps).
order() {
	here=$bench me=benchorder.sh bash -c '. "$here/lib.sh" && round_order "$@"' order "$@"
}

expect_eq "round 1 keeps the order given" "$(order 0 dualnsd nsd knot echo)" "dualnsd nsd knot echo"
expect_eq "round 2 starts with the second server" "$(order 1 dualnsd nsd knot echo)" \
	"nsd knot echo dualnsd"
expect_eq "round 4 starts with the last" "$(order 3 dualnsd nsd knot echo)" \
	"echo dualnsd nsd knot"
expect_eq "after as many rounds as servers, the order given again" \
	"$(order 4 dualnsd nsd knot echo)" "dualnsd nsd knot echo"
expect_eq "a shift beyond the count wraps" "$(order 7 a b c)" "b c a"
expect_eq "one server stays" "$(order 5 dualnsd)" "dualnsd"

# Over as many rounds as there are servers, each is measured in every position once.
positions=""
for r in 0 1 2 3 4; do
	positions="$positions$(order $r a b c d e | awk '{ for (i = 1; i <= NF; i++) printf "%s%d ", $i, i }')"
done
expect_eq "five rounds put each of five servers in each of the five positions once" \
	"$(printf '%s\n' $positions | sort | uniq -d)" ""
expect_eq "five rounds make 25 server-position pairs" "$(printf '%s\n' $positions | sort -u | wc -l)" 25

# Every script that measures servers round after round takes its order from round_order.
for s in run.sh sweep.sh dnssec.sh xdp.sh; do
	expect_match "$s measures in round_order" "$(cat "$bench/$s")" 'for s in \$\(round_order '
done
# sweep.sh runs every load of a round in turn: it shifts the order by the load's index too,
# so that within one round the first server changes from load to load.
expect_match "sweep.sh shifts the order by the load's index as well" \
	"$(cat "$bench/sweep.sh")" 'round_order \$\(\(r - 1 \+ li\)\)'
