# SPDX-License-Identifier: BSD-3-Clause
# tests/dnssec/signed.sh: signs tests/dnssec/signed.test.zone for the DNSSEC tests (sourced
# after tests/system/lib.sh, bash).
#
#   signed_need_tools           exit 77 unless ldns-keygen and ldns-signzone are there
#   signed_need_dnspython       exit 77 unless a python3 with dnspython is there, for
#                               tests/dnssec/digest.py (sets DIGEST_PY)
#   signed_make DIR [ALG [BITS]]  keys (a KSK and a ZSK of ALG, default ECDSAP256SHA256;
#                               BITS for RSA) and three signed copies of the zone in DIR:
#     DIR/nsec.zone             NSEC (RFC 4034 section 4)
#     DIR/nsec3.zone            NSEC3, 0 iterations, empty salt (RFC 5155, RFC 9276)
#     DIR/optout.zone           the same with the opt-out flag (RFC 5155 section 6)
#     DIR/bindoptout.zone       NSEC3 with opt-out signed by BIND's dnssec-signzone, when
#                               it is installed: unlike ldns-signzone it leaves out the
#                               NSEC3 of insecure delegations and of empty non-terminals
#                               with only those below (RFC 5155 section 7.1), the case
#                               of the closest provable encloser (section 7.2.7)
#     DIR/anchor.ds             the KSK's DS record
#     DIR/anchor.key            the KSK's DNSKEY record (drill -k)
#     DIR/anchor.conf           the KSK as a delv trust-anchors clause (delv -a)
#   SIGNED_ORIGIN               signed.test.
#   SIGNED_KINDS                nsec nsec3 optout [bindoptout]
# The signatures run from 2025 to 2037: far off, and inside 32-bit serial arithmetic
# (RFC 4034 section 3.1.5).

SIGNED_ORIGIN=signed.test.
SIGNED_KINDS="nsec nsec3 optout"
SIGNED_ZONE=$top_srcdir/tests/dnssec/signed.test.zone
SIGNED_TIMES=(-i 20250101000000 -e 20370101000000)

signed_need_tools() {
	need_tool ldns-keygen "apt-get install ldnsutils"
	need_tool ldns-signzone "apt-get install ldnsutils"
}

signed_need_dnspython() {
	local py
	DIGEST_PY=
	for py in "$PYTHON3" /usr/bin/python3; do
		if "$py" -c 'import dns.message' 2>/dev/null; then
			DIGEST_PY=$py
			return 0
		fi
	done
	skip "dnspython not found (apt-get install python3-dnspython)"
}

# signed_make DIR [ALG [BITS]]: see above. Fails the test when a tool fails.
signed_make() {
	local dir=$1 alg=${2:-ECDSAP256SHA256} bits=${3:-} ksk zsk kind
	mkdir -p "$dir"
	cp "$SIGNED_ZONE" "$dir/unsigned.zone" || fail "copy $SIGNED_ZONE"
	# ldns-keygen writes its files into the current folder.
	ksk=$(cd "$dir" && ldns-keygen -a "$alg" ${bits:+-b "$bits"} -k "$SIGNED_ORIGIN") ||
		fail "ldns-keygen -a $alg -k"
	zsk=$(cd "$dir" && ldns-keygen -a "$alg" ${bits:+-b "$bits"} "$SIGNED_ORIGIN") ||
		fail "ldns-keygen -a $alg"
	for kind in nsec nsec3 optout; do
		case $kind in
			nsec) set -- ;;
			nsec3) set -- -n -t 0 -s '' ;;
			optout) set -- -n -p -t 0 -s '' ;;
		esac
		(cd "$dir" && ldns-signzone "$@" "${SIGNED_TIMES[@]}" -f "$kind.zone" \
			unsigned.zone "$ksk" "$zsk") || fail "ldns-signzone $* ($kind)"
	done
	if command -v dnssec-signzone >/dev/null 2>&1; then
		# dnssec-signzone wants the DNSKEYs in the zone; it reads ldns's key files.
		cat "$dir/unsigned.zone" "$dir/$ksk.key" "$dir/$zsk.key" >"$dir/bindin.zone"
		(cd "$dir" && dnssec-signzone -q -O full -3 - -H 0 -A -o "$SIGNED_ORIGIN" \
			-s "${SIGNED_TIMES[1]}" -e "${SIGNED_TIMES[3]}" -f bindoptout.zone \
			bindin.zone "$ksk" "$zsk" >/dev/null) || fail "dnssec-signzone -3 - -A"
		SIGNED_KINDS="nsec nsec3 optout bindoptout"
	fi
	cp "$dir/$ksk.ds" "$dir/anchor.ds"
	cp "$dir/$ksk.key" "$dir/anchor.key"
	# The .key line has no TTL: "OWNER IN DNSKEY FLAGS PROTOCOL ALG KEY ;comment".
	awk '{
		for (t = 1; t <= NF && $t != "DNSKEY"; t++) ;
		key = ""; for (i = t + 4; i <= NF && $i !~ /^;/; i++) key = key $i
		printf "trust-anchors {\n\t%s static-key %s %s %s \"%s\";\n};\n", $1, $(t+1), $(t+2), $(t+3), key
	}' "$dir/anchor.key" >"$dir/anchor.conf"
	chmod -R a+rX "$dir"
}
