#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# malformed.sh: every case of tests/conformance.md "Header and question" and "EDNS", sent raw
# with dnsraw.py over UDP (and TCP where it matters): answered or dropped exactly as the
# list says, and the server answers normally afterwards.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
start_dualnsd "$top_srcdir/zones/example.com.zone" "$top_srcdir/zones/example.net.zone"

q() {
	dnsraw --port "$PORT" --timeout 1 "$@"
}

# still_ok CONTEXT: after a bad message the next good query is answered.
still_ok() {
	local r
	r=$(q -q www.example.com/A)
	expect_eq "after $1: www A still answered" "$(kv rcodename "$r"):$(kv an "$r")" NOERROR:1
}

# hdr R: "rcode qr aa tc rd ra z ad cd" of one dnsraw reply.
hdr() {
	echo "$(kv rcodename "$1") qr=$(kv qr "$1") aa=$(kv aa "$1") tc=$(kv tc "$1") rd=$(kv rd "$1") ra=$(kv ra "$1") z=$(kv z "$1") ad=$(kv ad "$1") cd=$(kv cd "$1")"
}

WWW_HEX=03777777076578616d706c6503636f6d00   # www.example.com. in wire form

# ================================================================ Header and question

# Under 12 bytes: drop silently (RFC 1035 4.1.1: the header is 12 bytes).
for n in 0 1 2 11; do
	r=$(q --cut "$n" -q www.example.com/A)
	expect_eq "UDP datagram of $n bytes: dropped (RFC 1035 4.1.1)" "$r" timeout
done
still_ok "short datagrams"
# Exactly a 12-byte header with QDCOUNT=0 is a message: FORMERR (RFC 1035 4.1.2 wants a question).
r=$(q --no-question -q x)
expect_eq "12-byte header, QDCOUNT=0: FORMERR (RFC 1035 4.1.2)" \
	"$(kv rcodename "$r"):$(kv qd "$r")" FORMERR:0

# QR=1: drop, never answer a response.
r=$(q --qr 1 -q www.example.com/A)
expect_eq "QR=1 datagram: dropped (RFC 1035 4.1.1: never answer a response)" "$r" timeout
r=$(q --qr 1 --rcode 3 --opcode 4 -q www.example.com/A)
expect_eq "QR=1 NXDOMAIN-looking datagram: dropped" "$r" timeout
still_ok "QR=1 datagrams"

# ID, RD and the question are copied exactly; QR set; AA for zone data; RA, Z, AD never;
# CD cleared (RFC 1035 4.1.1, RFC 6840 5.7/5.9 for AD and CD, RFC 4035 3.1.6).
r=$(q --id 0xbeef --rd 1 --ra 1 --z 1 --ad 1 --cd 1 -q wWw.ExAmPlE.cOm/A)
expect_eq "ID 0xbeef copied (RFC 1035 4.1.1)" "$(kv id "$r")" 48879
expect_eq "query with RD=1 RA=1 Z=1 AD=1 CD=1: reply QR=1 AA=1 RD=1 RA=0 Z=0 AD=0 CD=0 (RFC 1035 4.1.1, RFC 6840 5.7-5.9)" \
	"$(hdr "$r")" "NOERROR qr=1 aa=1 tc=0 rd=1 ra=0 z=0 ad=0 cd=0"
expect_eq "question copied byte for byte, case kept (RFC 1035 4.1.1, 0x20)" "$(kv qname "$r")" wWw.ExAmPlE.cOm.
r=$(q --id 7 --rd 0 -q www.example.com/A)
expect_eq "RD=0 copied as 0, ID 7 copied (RFC 1035 4.1.1)" "$(kv id "$r"):$(kv rd "$r")" 7:0
r=$(q --id 0 -q www.example.com/A)
expect_eq "ID 0 copied (RFC 1035 4.1.1)" "$(kv id "$r")" 0
r=$(q --id 0xffff -q www.example.com/A)
expect_eq "ID 0xffff copied (RFC 1035 4.1.1)" "$(kv id "$r")" 65535
# The question is echoed exactly also on an error reply.
r=$(q -q WWW.EXAMPLE.ORG/A)
expect_eq "REFUSED reply echoes the question, case kept (RFC 1035 4.1.1)" \
	"$(kv rcodename "$r"):$(kv qd "$r"):$(kv qname "$r")" REFUSED:1:WWW.EXAMPLE.ORG.

# QDCOUNT != 1: FORMERR (RFC 1035 4.1.2; RFC 9619 says QDCOUNT is 1 in practice).
r=$(q --questions 2 -q www.example.com/A)
expect_eq "QDCOUNT=2 with two questions: FORMERR (RFC 9619 4)" "$(kv rcodename "$r")" FORMERR
expect_eq "QDCOUNT=2: ID copied on FORMERR (RFC 1035 4.1.1)" "$(kv id "$r")" 4660
r=$(q --qdcount 2 -q www.example.com/A)
expect_eq "QDCOUNT=2 but one question: FORMERR (RFC 1035 4.1.2)" "$(kv rcodename "$r")" FORMERR
r=$(q --qdcount 0 -q www.example.com/A)
expect_eq "QDCOUNT=0 with trailing bytes: FORMERR" "$(kv rcodename "$r")" FORMERR
r=$(q --qdcount 65535 -q www.example.com/A)
expect_eq "QDCOUNT=65535: FORMERR" "$(kv rcodename "$r")" FORMERR
still_ok "QDCOUNT errors"

# A question that runs past the message: FORMERR, header only (the question did not parse).
for cut in 13 20 29 30 32; do
	r=$(q --cut "$cut" -q www.example.com/A)
	expect_eq "question cut at byte $cut (of 33): FORMERR (RFC 1035 4.1.2)" \
		"$(kv rcodename "$r")" FORMERR
	expect_eq "question cut at byte $cut: no question echoed, it did not parse" \
		"$(kv qd "$r")" 0
done
# A label length pointing past the end.
r=$(q --qname-hex 3f6162 -q x)
expect_eq "label of 63 with 2 bytes present: FORMERR (RFC 1035 4.1.2)" "$(kv rcodename "$r")" FORMERR

# A compression pointer in the qname: FORMERR (RFC 1035 4.1.4 allows them, this
# server's strict parser does not, as NSD and Knot reject pointer loops).
r=$(q --qname-hex 03777777c00c -q x)
expect_eq "qname www + pointer to offset 12: FORMERR (RFC 1035 4.1.4)" "$(kv rcodename "$r")" FORMERR
r=$(q --qname-hex c00c -q x)
expect_eq "qname that is a pointer to itself: FORMERR" "$(kv rcodename "$r")" FORMERR
r=$(q --qname-hex c0ff -q x)
expect_eq "qname pointer past the end: FORMERR" "$(kv rcodename "$r")" FORMERR
still_ok "compression pointers"

# A label over 63 (0x40 and 0x80 label types are not plain labels): FORMERR (RFC 1035 2.3.4,
# RFC 6891 5 retired the extended label types).
long64=$(printf '61%.0s' $(seq 64))
r=$(q --qname-hex "40${long64}00" -q x)
expect_eq "label of 64 bytes: FORMERR (RFC 1035 2.3.4)" "$(kv rcodename "$r")" FORMERR
r=$(q --qname-hex "41$(printf '61%.0s' $(seq 65))00" -q x)
expect_eq "label of 65 bytes: FORMERR (RFC 1035 2.3.4)" "$(kv rcodename "$r")" FORMERR
r=$(q --qname-hex 8003777777076578616d706c6503636f6d00 -q x)
expect_eq "label type 0x80 (reserved): FORMERR (RFC 1035 4.1.4, RFC 6891 5)" "$(kv rcodename "$r")" FORMERR
# A label of exactly 63 is fine: NXDOMAIN inside the zone.
long63=$(printf 'a%.0s' $(seq 63))
r=$(q -q "$long63.example.com/A")
expect_eq "label of 63 bytes: a legal name, NXDOMAIN (RFC 1035 2.3.4)" "$(kv rcodename "$r")" NXDOMAIN

# A name over 255 bytes: FORMERR (RFC 1035 2.3.4). 4 x 63-byte labels + example.com = 269.
r=$(q -q "$long63.$long63.$long63.$long63.example.com/A")
expect_eq "name of 269 bytes: FORMERR (RFC 1035 2.3.4)" "$(kv rcodename "$r")" FORMERR
# 255 exactly is legal. Wire length = sum(1 + label length) + 1 for the root: three 63-byte
# labels (192) + a 49-byte one (50) + example (8) + com (4) + root (1) = 255; 50 bytes make 256.
l49=$(printf 'b%.0s' $(seq 49))
l50=$(printf 'b%.0s' $(seq 50))
r=$(q -q "$long63.$long63.$long63.$l49.example.com/A")
expect_eq "name of exactly 255 bytes: legal, NXDOMAIN (RFC 1035 2.3.4)" "$(kv rcodename "$r")" NXDOMAIN
r=$(q -q "$long63.$long63.$long63.$l50.example.com/A")
expect_eq "name of 256 bytes: FORMERR (RFC 1035 2.3.4)" "$(kv rcodename "$r")" FORMERR
still_ok "long labels and names"

# Unknown or unsupported opcode: NOTIMP, a bare 12-byte header: same ID and opcode, QR=1,
# every other flag 0, all counts 0 (RFC 1035 4.1.1; ISC's opcodeflg test).
for op in 1 2 3 6 7 15; do
	r=$(q --id 0x4242 --opcode "$op" --rd 1 --aa 1 --tc 1 --cd 1 --ad 1 -q www.example.com/A)
	expect_eq "opcode $op: NOTIMP (RFC 1035 4.1.1)" "$(kv rcodename "$r")" NOTIMP
	expect_eq "opcode $op: bare 12-byte header, same ID and opcode, QR=1, all else 0" \
		"id=$(kv id "$r") opcode=$(kv opcode "$r") $(hdr "$r" | cut -d' ' -f2-) counts=$(kv qd "$r"),$(kv an "$r"),$(kv ns "$r"),$(kv ar "$r") size=$(kv size "$r")" \
		"id=16962 opcode=$op qr=1 aa=0 tc=0 rd=0 ra=0 z=0 ad=0 cd=0 counts=0,0,0,0 size=12"
done
r=$(q --opcode 2 --edns -q www.example.com/A)
expect_eq "opcode 2 with EDNS: still a bare 12-byte NOTIMP" \
	"$(kv rcodename "$r"):$(kv size "$r")" NOTIMP:12
still_ok "unknown opcodes"

# Outside every zone: REFUSED, AA=0 (RFC 1035 4.1.1). QCLASS other than IN: REFUSED.
r=$(q -q www.example.org/A)
expect_eq "www.example.org: REFUSED, AA=0 (RFC 1035 4.1.1)" \
	"$(kv rcodename "$r"):$(kv aa "$r")" REFUSED:0
for cls in CH HS 2 255 254 4096; do
	r=$(q -q "www.example.com/A/$cls")
	expect_eq "www.example.com class $cls: REFUSED, AA=0 (RFC 1035 3.2.4)" \
		"$(kv rcodename "$r"):$(kv aa "$r")" REFUSED:0
done

# Unknown QTYPE: NODATA or NXDOMAIN, never NOTIMP (RFC 8906 3.1.2, RFC 3597).
for t in 4000 65280 65534 0; do
	r=$(q -q "www.example.com/$t")
	expect_eq "www.example.com TYPE$t: NOERROR, empty answer, AA=1 (RFC 8906 3.1.2)" \
		"$(kv rcodename "$r"):$(kv an "$r"):$(kv aa "$r")" NOERROR:0:1
	r=$(q -q "nothere.example.com/$t")
	expect_eq "nothere.example.com TYPE$t: NXDOMAIN (RFC 8906 3.1.2)" "$(kv rcodename "$r")" NXDOMAIN
done
# Meta types that need a transfer: an error RCODE over UDP, never a transfer (RFC 5936 4.2);
# an IXFR without the client's SOA in its authority section is malformed (RFC 1995 3).
for t in AXFR IXFR; do
	r=$(q -q "example.com/$t")
	expect_eq "example.com $t over UDP (IXFR without its SOA): NOTIMP, FORMERR (RFC 5936 4.2, RFC 1995 3)" \
		"$t:$(kv rcodename "$r")" "$([ "$t" = AXFR ] && echo AXFR:NOTIMP || echo IXFR:FORMERR)"
	expect_eq "example.com $t over UDP: no records in the answer" "$(kv an "$r")" 0
done
still_ok "classes and types"

# ================================================================ EDNS(0)

# No OPT in the query: no OPT in the answer (RFC 6891 7).
r=$(q -q www.example.com/A)
expect_eq "no OPT in the query: none in the answer (RFC 6891 7)" "$(kv opt "$r")" 0
r=$(q -q nothere.example.com/A)
expect_eq "no OPT, NXDOMAIN: none in the answer (RFC 6891 7)" "$(kv opt "$r")" 0

# OPT in the query: exactly one OPT, version 0, our size, DO copied, no unknown flags,
# no echoed unknown options (RFC 6891 6.1.1, 6.1.3, 6.1.4, 6.2.3; RFC 3225 3).
r=$(q --edns --edns-size 4096 -q www.example.com/A)
expect_eq "OPT in the query: one OPT, version 0, size 1232 (RFC 6891 6.1.1, 6.2.3)" \
	"$(kv optcount "$r"):$(kv optver "$r"):$(kv optsize "$r")" 1:0:1232
expect_eq "DO=0 in the query: DO=0 in the answer (RFC 3225 3)" "$(kv do "$r")" 0
r=$(q --edns --do -q www.example.com/A)
expect_eq "DO=1 copied into the answer (RFC 3225 3)" "$(kv do "$r")" 1
r=$(q --edns --edns-flags 0x7fff -q www.example.com/A)
expect_eq "unknown EDNS flags in the query: cleared in the answer (RFC 6891 6.1.4)" \
	"$(kv optflags "$r"):$(kv do "$r")" 0:0
r=$(q --edns --edns-opt 65001:abcdef --edns-opt 65500: -q www.example.com/A)
expect_eq "unknown options 65001, 65500: answered, not echoed (RFC 6891 6.1.2)" \
	"$(kv rcodename "$r"):$(kv optcodes "$r")" NOERROR:-
r=$(q --edns -q nothere.example.com/A)
expect_eq "OPT on NXDOMAIN: one OPT (RFC 6891 7)" "$(kv rcodename "$r"):$(kv optcount "$r")" NXDOMAIN:1
r=$(q --edns -q www.example.org/A)
expect_eq "OPT on REFUSED: one OPT (RFC 6891 7)" "$(kv rcodename "$r"):$(kv optcount "$r")" REFUSED:1

# More than one OPT: FORMERR with an OPT (RFC 6891 6.1.1).
r=$(q --edns --edns-count 2 -q www.example.com/A)
expect_eq "two OPT records: FORMERR (RFC 6891 6.1.1)" "$(kv rcodename "$r")" FORMERR
expect_eq "two OPT records: the FORMERR carries one OPT (RFC 6891 7)" "$(kv optcount "$r")" 1
# OPT owner not the root: FORMERR with an OPT (RFC 6891 6.1.2).
r=$(q --edns --edns-owner-hex "$WWW_HEX" -q www.example.com/A)
expect_eq "OPT owned by www.example.com: FORMERR with an OPT (RFC 6891 6.1.2)" \
	"$(kv rcodename "$r"):$(kv optcount "$r")" FORMERR:1
# An option that overruns the OPT RDATA: FORMERR with an OPT (RFC 6891 6.1.2).
r=$(q --edns --edns-rdata-tail fde90010aa -q www.example.com/A)
expect_eq "option length 16 with 1 byte left: FORMERR with an OPT (RFC 6891 6.1.2)" \
	"$(kv rcodename "$r"):$(kv optcount "$r")" FORMERR:1
r=$(q --edns --edns-rdata-tail fde900 -q www.example.com/A)
expect_eq "option header cut short (3 bytes): FORMERR with an OPT (RFC 6891 6.1.2)" \
	"$(kv rcodename "$r"):$(kv optcount "$r")" FORMERR:1
# RDLENGTH past the end of the message.
r=$(q --edns --edns-rdlen 20 -q www.example.com/A)
expect_eq "OPT RDLENGTH past the message: FORMERR (RFC 1035 4.1.3, RFC 6891 6.1.2)" "$(kv rcodename "$r")" FORMERR
still_ok "malformed OPT records"

# Version > 0: BADVERS = extended RCODE 16 (header 0, OPT 1), OPT version 0, empty sections
# (RFC 6891 6.1.3).
for v in 1 2 255; do
	r=$(q --edns --edns-version "$v" -q www.example.com/A)
	expect_eq "EDNS version $v: BADVERS (RFC 6891 6.1.3)" "$(kv rcodename "$r")" BADVERS
	expect_eq "EDNS version $v: header RCODE 0, OPT extended RCODE 1 (RFC 6891 6.1.3)" \
		"$(( $(kv rcode "$r") & 15 )):$(kv ercode "$r")" 0:1
	expect_eq "EDNS version $v: the OPT says version 0 (RFC 6891 6.1.3)" "$(kv optver "$r")" 0
	expect_eq "EDNS version $v: answer, authority empty, additional only the OPT (RFC 6891 6.1.3)" \
		"$(kv an "$r"):$(kv ns "$r"):$(kv ar "$r")" 0:0:1
done
r=$(q --edns --edns-version 1 -q www.example.org/A)
expect_eq "EDNS version 1 for a name outside the zones: BADVERS too (RFC 6891 6.1.3)" "$(kv rcodename "$r")" BADVERS
still_ok "BADVERS"

# Payload size under 512 counts as 512 (RFC 6891 6.2.5): a ~150-byte referral is not truncated.
for size in 0 1 511; do
	r=$(q --edns --edns-size "$size" -q sub.example.com/A)
	expect_eq "EDNS size $size: treated as 512, referral not truncated (RFC 6891 6.2.5)" \
		"$(kv tc "$r"):$(kv ns "$r")" 0:3
done

# edns-tcp-keepalive (option 11): answered over TCP with the idle timeout in units of
# 100 ms, never over UDP (RFC 7828 3.2.1, 3.3.2).
r=$(dnsraw --port "$PORT" --tcp --edns --edns-opt 11: -q www.example.com/A)
expect_eq "keepalive asked over TCP: option 11 in the answer (RFC 7828 3.3.2)" "$(kv optcodes "$r")" 11
r=$(q --edns --edns-opt 11: -q www.example.com/A)
expect_eq "keepalive asked over UDP: not in the answer (RFC 7828 3.2.1)" "$(kv optcodes "$r")" -
r=$(q --edns --edns-opt 11:0064 -q www.example.com/A)
expect_match "keepalive with a timeout from a client over UDP: FORMERR or ignored (RFC 7828 3.2.1)" \
	"$(kv rcodename "$r"):$(kv optcodes "$r")" '^(FORMERR|NOERROR):-$'

# COOKIE (option 10): a client cookie of 8 bytes, or 8 + a server cookie of 8..32, is fine;
# any other length is FORMERR (RFC 7873 5.2.2).
for len in 1 7 9 15 41; do
	hex=$(printf '%0*d' $((len * 2)) 0)
	r=$(q --edns --edns-opt "10:$hex" -q www.example.com/A)
	expect_eq "COOKIE of $len bytes: FORMERR (RFC 7873 5.2.2)" \
		"$(kv rcodename "$r"):$(kv optcount "$r")" FORMERR:1
done
for len in 8 16 40; do
	hex=$(printf '%0*d' $((len * 2)) 1)
	r=$(q --edns --edns-opt "10:$hex" -q www.example.com/A)
	expect_eq "COOKIE of $len bytes: answered (RFC 7873 5.2.2)" "$(kv rcodename "$r")" NOERROR
done

# ---- and the server still answers normally, over UDP and TCP.
still_ok "every malformed case"
r=$(dnsraw --port "$PORT" --tcp -q www.example.com/A -q medium.example.com/TXT)
expect_eq "after every malformed case: TCP answers too (RFC 7766 5)" \
	"$(printf '%s\n' "$r" | grep -c 'rcodename=NOERROR')" 2
stop_dualnsd
