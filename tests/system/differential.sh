#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# differential.sh: the same zone served by NSD, Knot DNS and dualnsd; the same queries
# to all three. Where NSD and Knot agree on RCODE, AA, TC, the answer section or the
# authority section, dualnsd must give the same; where they disagree the case is
# reported and not judged (tests/conformance.md, "Differences between the references").
# The zones: zones/example.com.zone, then the DNAME zones tests/data/dn.test.zone and
# dnapex.test.zone (RFC 6672), each of their queries over UDP and over TCP.
#
# DIFF_SUBJECT=nsd|knot runs the tables against a reference instead of dualnsd, and
# DIFF_SUBJECT_ZONE=FILE serves another zone to the subject in place of example.com's:
# both exist to prove that this test fails when the subject's answers differ.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
need_tool nsd "apt-get install nsd"
need_tool knotd "apt-get install knot"

ZONE="$top_srcdir/zones/example.com.zone"
ZDIR=$(sys_tmpdir)
sys_copy_zone "$ZONE" "$ZDIR"
SUBJECT_ZONE=${DIFF_SUBJECT_ZONE:-$ZDIR/example.com.zone}

DN_ZONE="$top_srcdir/tests/data/dn.test.zone"
DNAPEX_ZONE="$top_srcdir/tests/data/dnapex.test.zone"
SUBJECT_NAME=${DIFF_SUBJECT:-dualnsd}

# start_refs ZONE ORIGIN: NSD and Knot serving ZONE, each on its own port (REF_NSD,
# REF_KNOT); one zone per reference server, so neither follows a name into another zone.
start_refs() {
	start_nsd "$1" "$2"
	start_knot "$1" "$2"
	REF_NSD=$NSD_PORT
	REF_KNOT=$KNOT_PORT
}

# start_subject ZONE ORIGIN: a reference as the subject (DIFF_SUBJECT), its port SUBJECT;
# dualnsd serves every zone from one process, started once below.
start_subject() {
	case $SUBJECT_NAME in
		nsd) start_nsd "$1" "$2"; SUBJECT=$NSD_PORT ;;
		knot) start_knot "$1" "$2"; SUBJECT=$KNOT_PORT ;;
		*) SUBJECT=$DUALNSD_PORT ;;
	esac
	note "$2: NSD on $REF_NSD, Knot on $REF_KNOT, $SUBJECT_NAME on $SUBJECT"
}

if [ "$SUBJECT_NAME" = dualnsd ]; then
	# Rate limiting off: the comparison sends every case from one client.
	start_dualnsd --rrl-rate 0 "example.com=$SUBJECT_ZONE" "$DN_ZONE" "$DNAPEX_ZONE"
	DUALNSD_PORT=$PORT
fi
start_refs "$ZONE" example.com
start_subject "$SUBJECT_ZONE" example.com

# The table: NAME TYPE [dig options]. Every answer kind in zones/example.com.zone, then
# edge cases. +nocookie keeps the query identical for servers with and without cookies.
QUERIES=$(grep -v '^#' "$top_srcdir/tests/system/example.com.cases")

# digest PORT NAME TYPE OPTS...: one line per compared field.
digest() {
	local port=$1 out
	shift
	out=$(qdig "$port" +nocookie "$@")
	echo "rcode=$(dig_status "$out")"
	echo "aa=$(dig_flag "$out" aa)"
	echo "tc=$(dig_flag "$out" tc)"
	echo "answer=$(dig_section "$out" ANSWER | tr '\n' '|')"
	echo "authority=$(dig_section "$out" AUTHORITY | tr '\n' '|')"
}

field() {
	printf '%s\n' "$1" | sed -n "s/^$2=//p"
}

agree=0
differ=0
refdiff=0
known=0
i=0

# compare TABLE [VARIANT...]: every line of TABLE (NAME TYPE [dig options]) to the
# references and the subject started last, once per VARIANT (more dig options, "" for
# none; one run without any when no VARIANT is given).
compare() {
	local table=$1 variant
	shift
	[ $# -gt 0 ] || set -- ""
	for variant in "$@"; do
		compare_variant "$table" "$variant"
	done
}

compare_variant() {
	local name type opts n k d q f nv kv_ dv p1 p2 p3
	while read -r name type opts; do
		[ -n "$name" ] || continue
		opts="$opts${2:+ $2}"
		opts=${opts# }
		i=$((i + 1))
		# The three servers are asked at once, which keeps the table fast.
		# shellcheck disable=SC2086
		digest "$REF_NSD" "$name" "$type" $opts >"$ZDIR/n.$i" &
		p1=$!
		# shellcheck disable=SC2086
		digest "$REF_KNOT" "$name" "$type" $opts >"$ZDIR/k.$i" &
		p2=$!
		# shellcheck disable=SC2086
		digest "$SUBJECT" "$name" "$type" $opts >"$ZDIR/d.$i" &
		p3=$!
		wait "$p1" "$p2" "$p3"
		n=$(cat "$ZDIR/n.$i")
		k=$(cat "$ZDIR/k.$i")
		d=$(cat "$ZDIR/d.$i")
		q="$name $type${opts:+ $opts}"
		for f in rcode aa tc answer authority; do
			nv=$(field "$n" "$f")
			kv_=$(field "$k" "$f")
			dv=$(field "$d" "$f")
			if [ "$nv" != "$kv_" ]; then
				# NSD puts the apex NS RRset in the authority section of positive answers,
				# Knot answers minimally (tests/conformance.md, "Differences between the
				# references"): counted,
				# not listed.
				if [ "$f" = authority ] && [ -n "$(field "$n" answer)" ] && [ -z "$kv_" ]; then
					known=$((known + 1))
					continue
				fi
				refdiff=$((refdiff + 1))
				note "refs disagree, not judged: $q: $f: NSD {$nv} Knot {$kv_} $SUBJECT_NAME {$dv}"
				continue
			fi
			# RCODE, AA, TC and sections as NSD and Knot both give them
			# (RFC 1034 section 4.3.2, RFC 1035 section 4.1.1, RFC 2308, RFC 4592, RFC 6672,
			# RFC 8482).
			if [ "$dv" = "$nv" ]; then
				agree=$((agree + 1))
			else
				differ=$((differ + 1))
				bad "$q: $f as NSD and Knot give it" \
					"query:    dig +nocookie $q" \
					"expected: $nv" \
					"got:      $dv"
			fi
		done
	done <<<"$1"
}

compare "$QUERIES"

# DNAME (RFC 6672): into the zone and out of it, to a name that owns a CNAME and on to one
# that is a CNAME, a wildcard beside it, 255 bytes and one more (YXDOMAIN, section 2.2),
# a cut above it, loops, and the owner's own data (section 2.3).
DN_QUERIES=$(grep -v '^#' "$top_srcdir/tests/system/dn.test.cases")
DNAPEX_QUERIES=$(grep -v '^#' "$top_srcdir/tests/system/dnapex.test.cases")
start_refs "$DN_ZONE" dn.test
start_subject "$DN_ZONE" dn.test
compare "$DN_QUERIES" "" +tcp
start_refs "$DNAPEX_ZONE" dnapex.test
start_subject "$DNAPEX_ZONE" dnapex.test
compare "$DNAPEX_QUERIES" "" +tcp

note "$i queries: $agree fields agree, $differ differ from the references, $refdiff not judged (NSD and Knot disagree), $known positive answers with NSD's extra authority NS not judged"
[ "$differ" -eq 0 ] && ok "$SUBJECT_NAME agrees with NSD and Knot wherever they agree"
