#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# answers.sh: every answer kind in zones/example.com.zone, asked with dig and with kdig,
# over UDP and TCP: positive, CNAME chain, wildcard, empty non-terminal, NXDOMAIN and
# NODATA with the SOA, referral with glue, REFUSED outside the zones, minimal ANY.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
need_tool kdig "apt-get install knot-dnsutils"

start_dualnsd "$top_srcdir/zones/example.com.zone" "$top_srcdir/zones/example.net.zone"

# ask TOOL TRANSPORT NAME TYPE [OPTS...]: dig or kdig over udp or tcp.
ask() {
	local tool=$1 transport=$2 extra=
	shift 2
	[ "$transport" = tcp ] && extra=+tcp
	if [ "$tool" = dig ]; then
		qdig "$PORT" $extra "$@"
	else
		qkdig "$PORT" $extra "$@"
	fi
}

SOA_NEG='example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 2026112501 7200 3600 1209600 300'

for tool in dig kdig; do
	for tr in udp tcp; do
		w="[$tool/$tr]"

		# Positive answer: the RRset, AA set (RFC 1034 section 4.3.2 step 3a, RFC 1035 section 4.1.1).
		out=$(ask $tool $tr www.example.com A)
		expect_eq "$w www A: NOERROR (RFC 1034 4.3.2)" "$(dig_status "$out")" NOERROR
		expect_eq "$w www A: AA=1, data from a served zone (RFC 1035 4.1.1)" "$(dig_flag "$out" aa)" 1
		expect_eq "$w www A: QR=1 (RFC 1035 4.1.1)" "$(dig_flag "$out" qr)" 1
		expect_eq "$w www A: RA=0, no recursion offered (RFC 1035 4.1.1)" "$(dig_flag "$out" ra)" 0
		expect_eq "$w www A: the A RRset (RFC 1034 4.3.2)" "$(dig_rrs "$out" ANSWER)" \
			"www.example.com. IN A 192.0.2.80"
		expect_eq "$w www A: TTL from the zone (RFC 1035 3.2.1)" \
			"$(dig_section "$out" ANSWER | cut -d' ' -f2)" 3600

		out=$(ask $tool $tr example.com MX)
		expect_eq "$w apex MX: the RRset (RFC 1034 4.3.2)" "$(dig_rrs "$out" ANSWER)" \
			"example.com. IN MX 10 mail.example.com."

		# CNAME chain: each CNAME in turn, then the target (RFC 1034 section 4.3.2 step 3a).
		out=$(ask $tool $tr chain1.example.com A)
		expect_eq "$w chain1 A: the whole CNAME chain, then the A (RFC 1034 4.3.2)" \
			"$(dig_rrs "$out" ANSWER | tr '\n' '|')" \
			"chain1.example.com. IN CNAME chain2.example.com.|chain2.example.com. IN CNAME chain3.example.com.|chain3.example.com. IN CNAME www.example.com.|www.example.com. IN A 192.0.2.80|"
		expect_eq "$w chain1 A: AA=1 (RFC 1035 4.1.1)" "$(dig_flag "$out" aa)" 1

		# A CNAME query is answered with the CNAME itself, not followed (RFC 1034 4.3.2).
		out=$(ask $tool $tr alias.example.com CNAME)
		expect_eq "$w alias CNAME: only the CNAME (RFC 1034 4.3.2)" "$(dig_rrs "$out" ANSWER)" \
			"alias.example.com. IN CNAME www.example.com."

		# A CNAME to a missing name: the CNAME, then NXDOMAIN for the target (RFC 6604 section 3).
		out=$(ask $tool $tr dangling.example.com A)
		expect_eq "$w dangling A: NXDOMAIN of the target (RFC 6604 3)" "$(dig_status "$out")" NXDOMAIN
		expect_eq "$w dangling A: the CNAME in the answer (RFC 1034 4.3.2)" "$(dig_rrs "$out" ANSWER)" \
			"dangling.example.com. IN CNAME nothing.example.com."

		# A chain that leaves the zone ends there (RFC 1034 4.3.2 step 3a: restart only in zone).
		out=$(ask $tool $tr external.example.com A)
		expect_eq "$w external A: the CNAME only, not data from another zone (RFC 1034 4.3.2)" \
			"$(dig_rrs "$out" ANSWER)" "external.example.com. IN CNAME www.example.net."

		# Wildcard: synthesized with the qname as owner (RFC 4592 section 3.3.1).
		out=$(ask $tool $tr anything.wild.example.com A)
		expect_eq "$w anything.wild A: synthesized, owner = qname (RFC 4592 3.3.1)" \
			"$(dig_rrs "$out" ANSWER)" "anything.wild.example.com. IN A 192.0.2.99"
		expect_eq "$w anything.wild A: AA=1 (RFC 4592 3.3.1)" "$(dig_flag "$out" aa)" 1
		out=$(ask $tool $tr two.labels.wild.example.com TXT)
		expect_eq "$w two.labels.wild TXT: a wildcard matches several labels (RFC 4592 2.1.1)" \
			"$(dig_rrs "$out" ANSWER)" 'two.labels.wild.example.com. IN TXT "synthesized from *.wild.example.com"'
		# An existing name blocks the wildcard (RFC 4592 section 2.2.1): NODATA, not the wildcard.
		out=$(ask $tool $tr host.wild.example.com TXT)
		expect_eq "$w host.wild TXT: existing name blocks the wildcard: NOERROR (RFC 4592 2.2.1)" \
			"$(dig_status "$out")" NOERROR
		expect_eq "$w host.wild TXT: no synthesized TXT (RFC 4592 2.2.1)" "$(dig_count "$out" ANSWER)" 0
		# Wildcard with no data of the type: NODATA (RFC 4592 section 3.3.1, RFC 2308 2.2).
		out=$(ask $tool $tr anything.wild.example.com MX)
		expect_eq "$w anything.wild MX: NODATA from the wildcard (RFC 4592 3.3.1)" \
			"$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:0
		# Wildcard CNAME: the CNAME is synthesized, then followed (RFC 4592 3.3.1, RFC 1034 4.3.2).
		out=$(ask $tool $tr foo.wcname.example.com A)
		expect_eq "$w foo.wcname A: synthesized CNAME, then the target (RFC 4592 3.3.1, RFC 1034 4.3.2)" \
			"$(dig_rrs "$out" ANSWER | tr '\n' '|')" \
			"foo.wcname.example.com. IN CNAME www.example.com.|www.example.com. IN A 192.0.2.80|"

		# Empty non-terminal: NODATA, not NXDOMAIN (RFC 8020 section 2, RFC 4592 2.2.2).
		for ent in ent.example.com b.ent.example.com; do
			out=$(ask $tool $tr $ent A)
			expect_eq "$w $ent A: empty non-terminal is NOERROR/NODATA (RFC 8020 2)" \
				"$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:0
			expect_eq "$w $ent A: SOA in authority (RFC 2308 2.2)" "$(dig_section "$out" AUTHORITY)" "$SOA_NEG"
		done
		out=$(ask $tool $tr a.b.ent.example.com A)
		expect_eq "$w a.b.ent A: the name below the ENT answers (RFC 1034 4.3.2)" \
			"$(dig_rrs "$out" ANSWER)" "a.b.ent.example.com. IN A 192.0.2.7"

		# NXDOMAIN: SOA in authority, TTL = min(SOA TTL, MINIMUM) = 300 (RFC 2308 section 3).
		out=$(ask $tool $tr nothere.example.com A)
		expect_eq "$w nothere A: NXDOMAIN (RFC 1035 4.1.1)" "$(dig_status "$out")" NXDOMAIN
		expect_eq "$w nothere A: AA=1 (RFC 2308 2.1)" "$(dig_flag "$out" aa)" 1
		expect_eq "$w nothere A: SOA in authority, TTL min(SOA TTL, MINIMUM) (RFC 2308 3)" \
			"$(dig_section "$out" AUTHORITY)" "$SOA_NEG"
		expect_eq "$w nothere A: empty answer (RFC 2308 2.1)" "$(dig_count "$out" ANSWER)" 0

		# NODATA: NOERROR, empty answer, SOA in authority (RFC 2308 section 2.2).
		out=$(ask $tool $tr www.example.com MX)
		expect_eq "$w www MX: NODATA is NOERROR with no answer (RFC 2308 2.2)" \
			"$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:0
		expect_eq "$w www MX: SOA in authority (RFC 2308 2.2, 3)" "$(dig_section "$out" AUTHORITY)" "$SOA_NEG"
		expect_eq "$w www MX: AA=1 (RFC 2308 2.2)" "$(dig_flag "$out" aa)" 1

		# Unknown QTYPE: NODATA, never NOTIMP (RFC 8906 section 3.1.2, RFC 3597).
		out=$(ask $tool $tr www.example.com TYPE4000)
		expect_eq "$w www TYPE4000: unknown type is NODATA, not NOTIMP (RFC 8906 3.1.2)" \
			"$(dig_status "$out"):$(dig_count "$out" ANSWER)" NOERROR:0
		out=$(ask $tool $tr unknown.example.com TYPE65280)
		expect_eq "$w unknown TYPE65280: RFC 3597 data served (RFC 3597 5)" "$(dig_count "$out" ANSWER)" 1

		# Referral: AA=0, the NS RRset in authority, in-domain glue in additional
		# (RFC 1034 section 4.3.2 step 3b, RFC 9471 section 3).
		for q in "sub.example.com A" "www.sub.example.com A" "ns1.sub.example.com A"; do
			out=$(ask $tool $tr $q)
			expect_eq "$w $q: referral is NOERROR (RFC 1034 4.3.2)" "$(dig_status "$out")" NOERROR
			expect_eq "$w $q: referral has AA=0 (RFC 1034 4.3.2 3b)" "$(dig_flag "$out" aa)" 0
			expect_eq "$w $q: no answer in a referral (RFC 1034 4.3.2 3b)" "$(dig_count "$out" ANSWER)" 0
			expect_eq "$w $q: the NS RRset of the cut in authority (RFC 1034 4.3.2 3b)" \
				"$(dig_rrs "$out" AUTHORITY | tr '\n' '|')" \
				"sub.example.com. IN NS ns.example.net.|sub.example.com. IN NS ns1.sub.example.com.|sub.example.com. IN NS ns2.sub.example.com.|"
			expect_eq "$w $q: all in-domain glue in additional (RFC 9471 3)" \
				"$(dig_rrs "$out" ADDITIONAL | tr '\n' '|')" \
				"ns1.sub.example.com. IN A 192.0.2.201|ns2.sub.example.com. IN AAAA 2001:db8::202|"
		done
		# DS at the cut is answered by the parent: authoritative NODATA here (RFC 4035 3.1.4.1).
		out=$(ask $tool $tr sub.example.com DS)
		expect_eq "$w sub DS: answered by the parent, AA=1 (RFC 4035 3.1.4.1)" \
			"$(dig_status "$out"):$(dig_flag "$out" aa)" NOERROR:1

		# REFUSED outside the served zones, AA=0 (RFC 1035 4.1.1).
		for q in "example.org A" ". SOA" "com NS"; do
			out=$(ask $tool $tr $q)
			expect_eq "$w $q: outside every zone: REFUSED (RFC 1035 4.1.1)" "$(dig_status "$out")" REFUSED
			expect_eq "$w $q: REFUSED has AA=0 (RFC 1035 4.1.1)" "$(dig_flag "$out" aa)" 0
		done

		# A second zone on the same server (longest matching origin answers).
		out=$(ask $tool $tr www.example.net A)
		expect_eq "$w www.example.net A: the second zone answers (RFC 1034 4.3.2 step 2)" \
			"$(dig_rrs "$out" ANSWER)" "www.example.net. IN A 192.0.2.180"
		expect_eq "$w www.example.net A: AA=1 (RFC 1035 4.1.1)" "$(dig_flag "$out" aa)" 1

		# ANY: one RRset, not all of them (RFC 8482 section 4.1), over UDP and TCP alike.
		out=$(ask $tool $tr example.com ANY)
		expect_eq "$w example.com ANY: NOERROR (RFC 8482 4.1)" "$(dig_status "$out")" NOERROR
		expect_eq "$w example.com ANY: exactly one RRset (RFC 8482 4.1)" \
			"$(dig_rrs "$out" ANSWER | awk '{ print $1, $3 }' | sort -u | wc -l | tr -d ' ')" 1
		out=$(ask $tool $tr nothere.example.com ANY)
		expect_eq "$w nothere ANY: NXDOMAIN (RFC 8482 4.1, RFC 1034 4.3.2)" "$(dig_status "$out")" NXDOMAIN
	done
done

# The question is copied byte for byte, case included (RFC 1035 4.1.1, 0x20: draft-vixie-dnsext-dns0x20).
out=$(qdig "$PORT" WwW.eXaMpLe.CoM A +noall +question +comments)
expect_match "dig WwW.eXaMpLe.CoM A: the question echoed with its case (RFC 1035 4.1.1)" "$out" \
	'^;WwW\.eXaMpLe\.CoM\.[[:space:]]+IN[[:space:]]+A$'
out=$(qdig "$PORT" WwW.eXaMpLe.CoM A)
expect_eq "dig WwW.eXaMpLe.CoM A: names match case-insensitively (RFC 4343 3)" \
	"$(dig_section "$out" ANSWER | cut -d' ' -f5)" 192.0.2.80

stop_dualnsd
