#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# journal.sh: the differences journal.c computes between versions of a zone are the
# change sets Knot DNS serves by IXFR for the same edits (RFC 1995 sections 4 and 5):
# Knot loads version 1, then versions 2 and 3 of the file with zonefile-load: difference;
# its IXFR from each earlier serial, condensed, must hold the same records (TTLs
# included) as journaldiff prints for the same files. First dualnsd reloads the same
# versions and logs its journal. Skips the comparison without Knot.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

need_python
JOURNALDIFF="$top_builddir/tests/xfr/journaldiff"
CHANGESET="$top_srcdir/tests/xfr/changeset.py"
[ -x "$JOURNALDIFF" ] || fail "$JOURNALDIFF is not built (make check builds it)"

ZONES=$(sys_tmpdir)
# version SERIAL: j.test. at that serial, from the records on stdin, as ZONES/vSERIAL.zone.
version() {
	{
		printf '$ORIGIN j.test.\n$TTL 3600\n@ SOA ns h %s 7200 3600 1209600 300\n' "$1"
		printf '@ NS ns\nns A 192.0.2.1\nsub NS ns.sub\n'
		cat
	} >"$ZONES/v$1.zone"
}
# Version 2 changes one record of an RRset, a TTL, an MX set, glue and an AAAA; removes a
# node and adds one under an empty non-terminal, a record at the apex, and x.j.test.,
# which version 3 deletes again (it cancels from version 1: RFC 1995 section 5). Version
# 3 also brings back the node version 2 removed, and changes the TTL again.
version 1 <<'ZONE'
a A 192.0.2.10
a A 192.0.2.11
t 300 TXT "ttl changes"
gone TXT "removed node"
m MX 10 ns
m MX 20 a
ns.sub A 192.0.2.20
ns.sub AAAA 2001:db8::20
x.sub TXT occluded
ZONE
V2='@ TXT "apex"
a A 192.0.2.10
a A 192.0.2.12
t 600 TXT "ttl changes"
new.deep TXT "added node"
m MX 20 a
m MX 30 ns
ns.sub A 192.0.2.21
ns.sub AAAA 2001:db8::21
x.sub TXT occluded
x TXT passing'
printf '%s\n' "$V2" | version 2
{
	printf '%s\n' "$V2" | sed -e '/^x TXT passing$/d' -e 's/^t 600 /t 900 /'
	echo 'gone TXT "removed node"'
} | version 3

# ---- dualnsd keeps a journal across SIGHUP reloads, within --ixfr-depth (dualnsd(8)).
cp "$ZONES/v1.zone" "$ZONES/served.zone"
start_dualnsd --ixfr-depth 2 "$ZONES/served.zone"
cp "$ZONES/v2.zone" "$ZONES/served.zone"
sys_hup
expect_match "reload to serial 2: one journal line with the records removed and added" \
	"$(cat "$DUALNSD_LOG")" \
	'zone j\.test\.: journal: serial 1 to 2, 6 records removed, 8 added, 1 version kept, [0-9]+ bytes'
sys_hup
expect_eq "a reload of the same file: no new journal" "$(grep -c 'journal: serial' "$DUALNSD_LOG")" 1
cp "$ZONES/v3.zone" "$ZONES/served.zone"
sys_hup
expect_match "reload to serial 3: the journal kept through the unchanged reload grows" \
	"$(cat "$DUALNSD_LOG")" \
	'zone j\.test\.: journal: serial 2 to 3, 2 records removed, 2 added, 2 versions kept'
{ sed 's/ h 3 / h 4 /' "$ZONES/v3.zone"; echo 'v4 TXT "four"'; } >"$ZONES/served.zone"
sys_hup
expect_match "reload to serial 4: --ixfr-depth 2 keeps two versions" "$(cat "$DUALNSD_LOG")" \
	'zone j\.test\.: journal: serial 3 to 4, 0 records removed, 1 added, 2 versions kept'
stop_dualnsd

# ---- the same differences as Knot's
need_tool knotd "apt-get install knot"
need_tool knotc "apt-get install knot"
need_tool kdig "apt-get install knot-dnsutils"
# Knot keeps the differences of its reloads in its journal and answers IXFR from them.
KNOT_ZONEFILE_LOAD=difference
KNOT_JOURNAL_CONTENT=changes
KNOT_TRANSFER=127.0.0.1
start_knot "$ZONES/v1.zone" j.test.
KNOT_DIR=$(dirname "$REF_LOG")
KNOT_ZONE="$KNOT_DIR/v1.zone"

knot_serial() {
	qkdig "$KNOT_PORT" +short j.test. SOA | awk '{ print $3 }'
}
knot_serves() {
	[ "$(knot_serial)" = "$1" ]
}

# knot_load N: Knot reads version N from its zone file and serves its serial.
knot_load() {
	cp "$ZONES/v$1.zone" "$KNOT_ZONE" || fail "copy version $1"
	knotc -s "$KNOT_DIR/knot.sock" zone-reload j.test. >/dev/null 2>&1 ||
		fail "knotc zone-reload j.test. (version $1)"
	wait_for 20 knot_serves "$1" || fail "Knot does not serve serial $1 after its reload"
}

# compare FROM FILE...: Knot's IXFR from serial FROM, condensed, against journaldiff FILE...
compare() {
	local from=$1 out="$SYS_TMP/ixfr.$1.$#"
	shift
	qkdig "$KNOT_PORT" j.test. "IXFR=$from" >"$out.kdig"
	"$PYTHON3" "$CHANGESET" ixfr "$out.kdig" >"$out.knot" ||
		{ bad "Knot's IXFR from serial $from is incremental: $(head -c 300 "$out.kdig")"; return; }
	"$JOURNALDIFF" "$@" >"$out.jd" 2>&1 || { bad "journaldiff $*: $(cat "$out.jd")"; return; }
	"$PYTHON3" "$CHANGESET" journaldiff "$out.jd" >"$out.ours" || { bad "journaldiff's output"; return; }
	expect_eq "from serial $from: the same records removed and added as Knot's IXFR (RFC 1995)" \
		"$(cat "$out.ours")" "$(cat "$out.knot")"
	KNOT_SET=$(cat "$out.knot")
}

knot_load 2
compare 1 "$ZONES/v1.zone" "$ZONES/v2.zone"
# The comparison holds something: a TTL change is a removal and an addition.
expect_match "1 to 2: the old TTL removed" "$KNOT_SET" 'removed t\.j\.test\. 300 IN TXT'
expect_match "1 to 2: the new TTL added" "$KNOT_SET" 'added t\.j\.test\. 600 IN TXT'
expect_match "1 to 2: glue changed" "$KNOT_SET" 'added ns\.sub\.j\.test\. 3600 IN AAAA 2001:db8::21'

knot_load 3
compare 2 "$ZONES/v2.zone" "$ZONES/v3.zone"
compare 1 "$ZONES/v1.zone" "$ZONES/v2.zone" "$ZONES/v3.zone"
expect_nomatch "1 to 3: x.j.test., added and deleted again, in neither list (RFC 1995 section 5)" \
	"$KNOT_SET" 'x\.j\.test\.'
expect_nomatch "1 to 3: gone.j.test., deleted and added again, in neither list" \
	"$KNOT_SET" 'gone\.j\.test\.'
expect_match "1 to 3: the first TTL removed" "$KNOT_SET" 'removed t\.j\.test\. 300 IN TXT'
expect_match "1 to 3: the last TTL added" "$KNOT_SET" 'added t\.j\.test\. 900 IN TXT'
exit 0
