#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# differential.sh: tests/dnssec/signed.test.zone signed three ways (NSEC, NSEC3, NSEC3 with
# opt-out; tests/dnssec/signed.sh), each served by NSD, Knot DNS and dualnsd; every case
# asked without DO, with DO at the default 1232 bytes, with DO at 4096 bytes and with DO
# over TCP. Compared: RCODE, AA, TC, the reply's DO and the three sections, sorted. Where
# NSD and Knot agree dualnsd must give the same; where they differ the case is printed and
# dualnsd must give one of the two (tests/conformance.md, "Differences between the
# references"), Knot's for the cases marked as NSD's known mistakes. Whatever the
# references do, dualnsd never sets AD and clears CD (RFC 4035 section 3.1.6), and a
# truncated reply of its own is bare (RFC 4035 section 3.1.1, "Truncation").
#
# DNSSEC_SUBJECT=nsd|knot runs the comparison against a reference instead of dualnsd, to
# prove the harness (with knot the NSD mistakes fail, as they should).
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99
. "$top_srcdir/tests/dnssec/signed.sh" || exit 99

need_tool nsd "apt-get install nsd"
need_tool knotd "apt-get install knot"
signed_need_tools
signed_need_dnspython
SUBJECT_NAME=${DNSSEC_SUBJECT:-dualnsd}

KEYS=$(sys_tmpdir)
signed_make "$KEYS"

# The cases: NAME TYPE [dig-style options] [@nsdbug]. @nsdbug marks the cases of NSD's
# known mistakes: where NSD and Knot differ there, dualnsd is judged against Knot alone,
# whose answer is the one RFC 5155 section 7.2 gives: the NODATA of the wildcard's own name
# proven by its one matching NSEC3 (section 7.2.3; NSD adds more); the SOA query below a
# delegation, answered by the referral and its proof (section 7.2.7; NSD answers this one
# right in these zones); the DS NODATA of an empty non-terminal left without NSEC3 by
# opt-out, proven by the closest provable encloser and the NSEC3 covering the next closer
# name (section 7.2.4; NSD leaves out the latter).
CASES=$(grep -v '^#' "$top_srcdir/tests/dnssec/signed.cases")
VARIANTS=("" "+dnssec" "+dnssec +bufsize=4096" "+dnssec +tcp")

# expand KIND: the table for one signed zone, each case once per variant, as
# "CASE|VARIANT" lines; NSEC3 zones also ask for the NSEC3 owner name of the apex, which
# is answered as any missing name (RFC 5155 section 7.2.8 lets the server choose; Knot
# and NSD do so).
expand() {
	local table=$CASES line v
	if [ "$1" != nsec ]; then
		table+=$'\n'"$(awk '$4 == "NSEC3" && / SOA / { print tolower($1) " A"; exit }' "$KEYS/$1.zone")"
	fi
	while read -r line; do
		[ -n "$line" ] || continue
		for v in "${VARIANTS[@]}"; do
			printf '%s|%s\n' "$line" "$v"
		done
	done <<<"$table"
}

# ask PORT TABLE OUT: digest.py's fields for every line of TABLE, into OUT.
ask() {
	sed 's/ @nsdbug//; s/|/ /' "$2" | "$DIGEST_PY" "$top_srcdir/tests/dnssec/digest.py" \
		--port "$1" >"$3" || fail "digest.py against port $1"
}

start_subject() {
	case $SUBJECT_NAME in
		nsd) start_nsd "$1" signed.test; SUBJECT=$NSD_PORT ;;
		knot) start_knot "$1" signed.test; SUBJECT=$KNOT_PORT ;;
		*) start_dualnsd --rrl-rate 0 "signed.test=$1"; SUBJECT=$PORT ;;
	esac
}

AGREE=0
REFDIFF=0
FAILS=0
: >"$KEYS/summary"

# judge KIND TABLE N K D: compare the three digests line by line; one summary line per
# case into $KEYS/summary ("CASE|VARIANT<TAB>KIND<TAB>agree|nsd|knot|FAIL").
judge() {
	local kind=$1 table=$2 q v fld nv kv dv verdict i=0 bug tc
	exec 3<"$3" 4<"$4" 5<"$5"
	while IFS= read -r q; do
		i=$((i + 1))
		verdict=agree
		bug=0
		case $q in *@nsdbug*) bug=1 ;; esac
		tc=0
		local -A N=() K=() D=()
		for fld in rcode aa tc ad cd dobit answer authority additional unsigned; do
			IFS=$'\t' read -r _ nv <&3
			IFS=$'\t' read -r _ kv <&4
			IFS=$'\t' read -r _ dv <&5
			N[$fld]=${nv#*=} K[$fld]=${kv#*=} D[$fld]=${dv#*=}
		done
		q=${q/ @nsdbug/}
		v=${q#*|}
		q="${q%%|*}${v:+ $v}"
		# Never AD from an authoritative server, and CD not copied
		# (RFC 4035 section 3.1.6).
		if [ "${D[ad]}" != 0 ] || [ "${D[cd]}" != 0 ]; then
			bad "$kind: $q: AD and CD clear (RFC 4035 section 3.1.6)" \
				"got: ad=${D[ad]} cd=${D[cd]}"
			verdict=FAIL
		fi
		# A truncated reply of dualnsd's is bare: required RRSIGs and proofs are never
		# sent in part (RFC 4035 section 3.1.1).
		if [ "$SUBJECT_NAME" = dualnsd ] && [ "${D[tc]}" = 1 ] &&
			[ -n "${D[answer]}${D[authority]}${D[additional]}" ]; then
			bad "$kind: $q: TC=1 with empty sections (RFC 4035 section 3.1.1)" \
				"got: answer {${D[answer]}} authority {${D[authority]}}"
			verdict=FAIL
		fi
		# With DO every answer and authority RRset comes with its RRSIGs
		# (RFC 4035 section 3.1.1), whatever the references do.
		case $q in
			*+dnssec*)
				if [ "${D[tc]}" = 0 ] && [ -n "${D[unsigned]}" ]; then
					bad "$kind: $q: every RRset with its RRSIG (RFC 4035 section 3.1.1)" \
						"RRsets without RRSIG: ${D[unsigned]}"
					verdict=FAIL
				fi
				;;
		esac
		# Partial sections with TC differ between servers by design: there only RCODE
		# and TC are compared.
		[ "${N[tc]}${K[tc]}${D[tc]}" = 000 ] || tc=1
		for fld in rcode aa tc dobit answer authority additional; do
			[ "$tc" = 1 ] && case $fld in rcode | tc) ;; *) continue ;; esac
			nv=${N[$fld]} kv=${K[$fld]} dv=${D[$fld]}
			if [ "$nv" = "$kv" ]; then
				[ "$dv" = "$nv" ] && continue
				bad "$kind: $q: $fld as NSD and Knot give it" \
					"query:    dig +norec $q (the $kind zone)" \
					"expected: $nv" "got:      $dv"
				verdict=FAIL
				continue
			fi
			if [ "$dv" = "$kv" ]; then
				[ "$verdict" = agree ] && verdict=knot
				[ "$nv" = "$kv" ] || note "refs differ: $kind: $q: $fld: NSD {$nv} Knot {$kv}; $SUBJECT_NAME as Knot"
			elif [ "$dv" = "$nv" ] && [ "$bug" = 0 ]; then
				[ "$verdict" = agree ] && verdict=nsd
				note "refs differ: $kind: $q: $fld: NSD {$nv} Knot {$kv}; $SUBJECT_NAME as NSD"
			else
				if [ "$bug" = 1 ]; then
					bad "$kind: $q: $fld as Knot gives it (NSD's known mistake, RFC 5155 section 7.2)" \
						"query:    dig +norec $q (the $kind zone)" \
						"expected: $kv" "NSD:      $nv" "got:      $dv"
				else
					bad "$kind: $q: $fld as NSD or Knot give it" \
						"query:    dig +norec $q (the $kind zone)" \
						"NSD:      $nv" "Knot:     $kv" "got:      $dv"
				fi
				verdict=FAIL
			fi
		done
		case $verdict in
			agree) AGREE=$((AGREE + 1)) ;;
			FAIL) FAILS=$((FAILS + 1)) ;;
			*) REFDIFF=$((REFDIFF + 1)) ;;
		esac
		printf '%s\t%s\t%s\n' "$q" "$kind" "$verdict" >>"$KEYS/summary"
		unset N K D
	done <"$table"
	exec 3<&- 4<&- 5<&-
}

for kind in $SIGNED_KINDS; do
	zone=$KEYS/$kind.zone
	start_nsd "$zone" signed.test
	start_knot "$zone" signed.test
	start_subject "$zone"
	note "$kind: NSD on $NSD_PORT, Knot on $KNOT_PORT, $SUBJECT_NAME on $SUBJECT"
	expand "$kind" >"$KEYS/$kind.cases"
	ask "$NSD_PORT" "$KEYS/$kind.cases" "$KEYS/$kind.n" &
	p1=$!
	ask "$KNOT_PORT" "$KEYS/$kind.cases" "$KEYS/$kind.k" &
	p2=$!
	ask "$SUBJECT" "$KEYS/$kind.cases" "$KEYS/$kind.d" &
	p3=$!
	wait "$p1" "$p2" "$p3" || fail "asking the servers"
	judge "$kind" "$KEYS/$kind.cases" "$KEYS/$kind.n" "$KEYS/$kind.k" "$KEYS/$kind.d"
	stop_pid "$NSD_PID"
	stop_pid "$KNOT_PID"
	case $SUBJECT_NAME in dualnsd) stop_pid "$DUALNSD_PID" ;; esac
done

# The table: each case with its verdict per signed zone (agree: NSD, Knot and the subject
# give the same; nsd or knot: the references differ and the subject gives that one's).
note "case | $SIGNED_KINDS"
awk -F '\t' '{ v[$1] = v[$1] " " $3; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
	END { for (i = 1; i <= n; i++) printf "#   %-48s |%s\n", order[i], v[order[i]] }' \
	"$KEYS/summary"
note "$((AGREE + REFDIFF + FAILS)) cases: $AGREE agree, $REFDIFF where NSD and Knot differ, $FAILS wrong"
[ "$FAILS" -eq 0 ] && ok "$SUBJECT_NAME answers every signed case as NSD and Knot do, or as one of them where they differ"
