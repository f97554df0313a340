#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# truncation.sh: signed answers over UDP at 512, 1232 and 4096 bytes, with DO. The zone is
# tests/dnssec/signed.test.zone signed with NSEC3 and RSASHA256 2048-bit keys, so that the
# DNSKEY set (two keys and an RRSIG, some 900 bytes) and an NXDOMAIN's proof (the SOA and
# three NSEC3, each with its RRSIG, some 1400 bytes) are big. Each answer either fits whole,
# every RRSIG and proof with it, or comes with TC=1 and, from dualnsd, empty sections: an
# RRSIG or proof is required like its RRset (RFC 4035 section 3.1.1, RFC 2181 section 9).
# Over TCP it is always whole (RFC 7766 section 8). dualq +dnssec +compare asks over UDP
# then TCP, and every one of its verdicts holds on both legs. NSD and Knot serve the same
# zone beside dualnsd: at every size dualnsd's TC and RCODE are theirs where they agree
# (their truncated answers keep some records where dualnsd's are bare: only TC and RCODE
# are compared).
#
# DNSSEC_SUBJECT=nsd|knot runs the checks against a reference (their truncated answers
# may hold some records: those are not judged).
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99
. "$top_srcdir/tests/dnssec/signed.sh" || exit 99

signed_need_tools
signed_need_dnspython
[ -x "$DUALQ" ] || fail "$DUALQ is not built"
SUBJECT_NAME=${DNSSEC_SUBJECT:-dualnsd}

KEYS=$(sys_tmpdir)
signed_make "$KEYS" RSASHA256 2048
ZONE=$KEYS/nsec3.zone
# Every server's own UDP size is raised to 4096, so that the client's size decides.
case $SUBJECT_NAME in
	nsd | knot)
		need_tool "${SUBJECT_NAME/knot/knotd}" "apt-get install $SUBJECT_NAME"
		ref=$(sys_tmpdir)
		if [ "$SUBJECT_NAME" = nsd ]; then
			set -- "ipv4-edns-size: 4096"
		else
			set -- "udp-max-payload: 4096"
		fi
		ref_start_free "$SUBJECT_NAME" "$ref" signed.test "$ZONE" "$@" ||
			fail "$SUBJECT_NAME did not serve signed.test"
		SYS_LOGS+=("$REF_LOG")
		SUBJECT=$REF_PORT
		;;
	*) start_dualnsd --rrl-rate 0 --udp-size 4096 "signed.test=$ZONE"; SUBJECT=$PORT ;;
esac

# The references beside dualnsd, when they are installed: REFS lists "name port".
REFS=()
if [ "$SUBJECT_NAME" = dualnsd ]; then
	for kind in nsd knot; do
		command -v "${kind/knot/knotd}" >/dev/null 2>&1 || continue
		[ $kind = nsd ] && line="ipv4-edns-size: 4096" || line="udp-max-payload: 4096"
		ref=$(sys_tmpdir)
		ref_start_free $kind "$ref" signed.test "$ZONE" "$line" ||
			fail "$kind did not serve signed.test"
		SYS_LOGS+=("$REF_LOG")
		REFS+=("$kind $REF_PORT")
	done
fi

# NAME TYPE WHAT RCODE MUST: MUST is an extended regular expression each whole answer (the
# answer and authority sections over TCP, one record a line) must match in full, once per
# line of it (separated by ;).
CASES=$(cat <<'EOF'
signed.test DNSKEY dnskey-set NOERROR ^signed.test. 3600 IN DNSKEY 256 ;^signed.test. 3600 IN DNSKEY 257 ;^signed.test. 3600 IN RRSIG DNSKEY 8 
nothere.signed.test A nsec3-nxdomain NXDOMAIN ^signed.test. 300 IN SOA ;^signed.test. 300 IN RRSIG SOA ;IN NSEC3 1 0 0 - .* NS SOA ;IN RRSIG NSEC3 8 
www.secure.signed.test A signed-referral NOERROR ^secure.signed.test. 3600 IN NS ;^secure.signed.test. 3600 IN DS 12345 ;^secure.signed.test. 3600 IN RRSIG DS 8 
www.insecure.signed.test A nsec3-insecure-referral NOERROR ^insecure.signed.test. 3600 IN NS ;IN NSEC3 1 0 0 - .* NS$;IN RRSIG NSEC3 8 
EOF
)

# field FILE NAME: one field of a digest.py answer (one question).
field() {
	sed -n "s/^1\t$2=//p" "$1"
}

# digest FILE NAME TYPE OPTIONS...: digest.py's fields for one question, into FILE, from
# the subject (or from the port in $ASK_PORT).
digest() {
	local out=$1 port=${ASK_PORT:-$SUBJECT}
	shift
	echo "$*" | "$DIGEST_PY" "$top_srcdir/tests/dnssec/digest.py" --port "$port" >"$out" ||
		fail "digest.py against port $port"
}

# compare_refs WHAT SIZE UDPFILE NAME TYPE: dualnsd's TC and RCODE at SIZE against NSD's
# and Knot's, where the two agree.
compare_refs() {
	local what=$1 size=$2 mine=$3 name=$4 type=$5 r kind port seen=""
	for r in "${REFS[@]}"; do
		read -r kind port <<<"$r"
		ASK_PORT=$port digest "$KEYS/$what.$size.$kind" "$name" "$type" +dnssec "+bufsize=$size"
		seen+="$(field "$KEYS/$what.$size.$kind" tc)/$(field "$KEYS/$what.$size.$kind" rcode) "
	done
	[ ${#REFS[@]} -eq 2 ] || return 0
	read -r a b <<<"$seen"
	if [ "$a" = "$b" ]; then
		expect_eq "$what at $size: TC/RCODE as NSD and Knot" \
			"$(field "$mine" tc)/$(field "$mine" rcode)" "$a"
		compared=$((compared + 1))
	else
		note "$what at $size: NSD and Knot differ ($a against $b)"
	fi
}

fits=0
truncated=0
compared=0
while read -r name type what rcode must; do
	tcp=$KEYS/$what.tcp
	digest "$tcp" "$name" "$type" +dnssec +tcp
	whole="$(field "$tcp" answer)|$(field "$tcp" authority)"
	# Over TCP: no TC, the RCODE, every required record, every RRset signed.
	expect_eq "$what over TCP: RCODE (RFC 4035 section 3.1)" "$(field "$tcp" rcode)" "$rcode"
	expect_eq "$what over TCP: no TC (RFC 7766 section 8)" "$(field "$tcp" tc)" 0
	expect_eq "$what over TCP: every RRset with its RRSIG (RFC 4035 section 3.1.1)" \
		"$(field "$tcp" unsigned)" ""
	IFS=';' read -ra parts <<<"$must"
	for part in "${parts[@]}"; do
		expect_match "$what over TCP holds a record matching '$part' (RFC 4035 section 3.1)" \
			"$(printf '%s\n' "$whole" | tr '|' '\n')" "$part"
	done
	for size in 512 1232 4096; do
		udp=$KEYS/$what.$size
		digest "$udp" "$name" "$type" +dnssec "+bufsize=$size"
		tc=$(field "$udp" tc)
		expect_eq "$what at $size: RCODE" "$(field "$udp" rcode)" "$rcode"
		compare_refs "$what" "$size" "$udp" "$name" "$type"
		if [ "$tc" = 0 ]; then
			fits=$((fits + 1))
			expect_eq "$what at $size: fits whole, as over TCP, every RRSIG and proof (RFC 4035 section 3.1.1)" \
				"$(field "$udp" answer)|$(field "$udp" authority)" "$whole"
		else
			truncated=$((truncated + 1))
			if [ "$SUBJECT_NAME" = dualnsd ]; then
				expect_eq "$what at $size: TC=1 with empty sections (RFC 4035 section 3.1.1, RFC 2181 section 9)" \
					"$(field "$udp" answer)|$(field "$udp" authority)|$(field "$udp" additional)" "||"
			fi
		fi
		# dualq: UDP, then TCP (after TC, or +compare), and every verdict holds.
		out=$("$DUALQ" @127.0.0.1 -p "$SUBJECT" "$name" "$type" +dnssec "+bufsize=$size" \
			+compare 2>&1) && rc=0 || rc=$?
		expect_eq "$what at $size: dualq +dnssec exits 0, every check passed" "$rc" 0
		legs=$(printf '%s\n' "$out" | sed -n 's/^;; \(udp\|tcp\)  .* -> .*/\1/p' | tr '\n' ' ')
		expect_eq "$what at $size: dualq +dnssec shows the UDP leg, then the TCP leg" "$legs" "udp tcp "
		expect_nomatch "$what at $size: dualq's verdicts all ok" \
			"$(printf '%s\n' "$out" | sed -n '/^;; verdicts:/,/^$/p' | sed 1d)" '^;;   [^o ]'
	done
done <<<"$CASES"

# Sizes that prove both branches ran: 900 bytes of DNSKEY cannot fit 512, nor 1400 bytes
# of NXDOMAIN 1232; everything fits 4096.
expect_eq "DNSKEY set at 512 is truncated" "$(field "$KEYS/dnskey-set.512" tc)" 1
expect_eq "NSEC3 NXDOMAIN at 1232 is truncated" "$(field "$KEYS/nsec3-nxdomain.1232" tc)" 1
expect_eq "DNSKEY set at 4096 fits" "$(field "$KEYS/dnskey-set.4096" tc)" 0
expect_eq "NSEC3 NXDOMAIN at 4096 fits" "$(field "$KEYS/nsec3-nxdomain.4096" tc)" 0
note "$fits answers fit whole, $truncated truncated; $compared compared with NSD and Knot"
if [ "$SUBJECT_NAME" = dualnsd ] && [ ${#REFS[@]} -eq 2 ]; then
	expect_eq "every size of every case was compared with NSD and Knot" "$compared" 12
fi
