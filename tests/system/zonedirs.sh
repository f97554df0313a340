#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# zonedirs.sh: a folder as a zone argument (every *.zone file in it, each with the origin
# from its file), mixed with zone files, and SIGHUP reading the folder again: an added
# file is served, a broken added one gets SERVFAIL, a removed one's zone REFUSED, a folder
# that cannot be read keeps its zones, and the reload line says what changed; one line
# per zone at startup and after each reload, and a warning for a serial secondaries would
# not follow.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"

D=$(sys_tmpdir)
mkdir "$D/zones"
zone "$D/zones/a.test.zone" a.test. 1
zone "$D/zones/old.test.zone" old.test. 1
echo 'not a zone file: not *.zone' >"$D/zones/README"
zone "$D/single.zone" single.test. 1

# ---- ORIGIN=DIR is refused: a folder's files have their own origins.
out=$("$DUALNSD" -p "$(free_port)" -l 127.0.0.1 "example.test.=$D/zones" 2>&1)
expect_eq "ORIGIN=DIR: exit 1" "$?" 1
expect_match "ORIGIN=DIR: the message names the folder and what to give instead" "$out" \
	"example\.test\.=$D/zones: $D/zones is a folder.*give the folder alone, or ORIGIN=FILE"

# ---- a folder with no zone file is nothing to serve.
mkdir "$D/empty"
out=$("$DUALNSD" -p "$(free_port)" -l 127.0.0.1 "$D/empty" 2>&1)
expect_eq "an empty folder alone: exit 1" "$?" 1
expect_match "an empty folder alone: says there are no zone files" "$out" 'no zone files'

# ---- --check with a folder and a file: one line per zone file.
out=$("$DUALNSD" --check "$D/zones" "$D/single.zone" 2>&1)
expect_eq "--check DIR FILE: exit 0" "$?" 0
expect_match "--check DIR FILE: the folder's a.test" "$out" "^a\.test\.: $D/zones/a\.test\.zone: .*: ok$"
expect_match "--check DIR FILE: the folder's old.test" "$out" "^old\.test\.: $D/zones/old\.test\.zone: .*: ok$"
expect_match "--check DIR FILE: the file" "$out" "^single\.test\.: $D/single\.zone: .*: ok$"

# ---- serving a folder and a file together.
start_dualnsd -v "$D/zones" "$D/single.zone"
expect_match "a folder and a file: serving 3 zones" "$(cat "$DUALNSD_LOG")" 'serving 3 zones on'
expect_eq "a zone of the folder answers (RFC 1034 4.3.2)" "$(status www.a.test)" NOERROR
expect_eq "the other zone of the folder answers" "$(status www.old.test)" NOERROR
expect_eq "the zone file given beside the folder answers" "$(status www.single.test)" NOERROR
# One line per zone at startup: origin, serial, records, file.
expect_match "at startup a line per zone: origin, serial, records, file" "$(cat "$DUALNSD_LOG")" \
	"zone a\.test\.: serial 1, 4 records, from $D/zones/a\.test\.zone"
expect_match "at startup the zone file's line too" "$(cat "$DUALNSD_LOG")" \
	"zone single\.test\.: serial 1, 4 records, from $D/single\.zone"

# ---- SIGHUP reads the folder again: new.test added, old.test removed, a broken file
# added (its origin is known: SERVFAIL, as a zone that failed at start).
zone "$D/zones/new.test.zone" new.test. 1
rm "$D/zones/old.test.zone"
printf '%s\n' '$ORIGIN broken.test.' '@ IN SOA ns hostmaster 1 7200 3600 1209600 300' \
	'@ IN NS ns' 'ns IN A 192.0.2.300' >"$D/zones/broken.test.zone"
hup
expect_eq "after SIGHUP: the file added to the folder is served" "$(status www.new.test)" NOERROR
expect_eq "after SIGHUP: the removed file's zone is not served: REFUSED (RFC 1035 4.1.1)" \
	"$(status www.old.test)" REFUSED
expect_eq "after SIGHUP: the broken added file's zone answers SERVFAIL (RFC 1035 4.1.1)" \
	"$(status www.broken.test)" SERVFAIL
expect_eq "after SIGHUP: the folder's unchanged zone still answers" "$(status www.a.test)" NOERROR
expect_eq "after SIGHUP: the zone file still answers" "$(status www.single.test)" NOERROR
line=$(grep 'reload: .* failed' "$DUALNSD_LOG" | tail -n 1)
expect_match "the reload line counts the zones with data, names what was added and where from" \
	"$line" "reload: 3 zones, 2 added \(broken\.test\. from $D/zones/broken\.test\.zone, new\.test\. from $D/zones/new\.test\.zone\)"
expect_match "the reload line names what was removed and counts the failure" \
	"$line" ', 1 removed \(old\.test\.\), 1 failed.* in [0-9]+\.[0-9]{3} s$'
expect_match "the broken file's error names its file and line" "$(cat "$DUALNSD_LOG")" \
	"broken\.test\.zone:4:"

# ---- a zone file named on the command line is loaded again from its path, as before.
zone "$D/single.zone" single.test. 2 192.0.2.2
hup
expect_eq "the zone file's new version after SIGHUP" \
	"$(qdig "$PORT" www.single.test A +short)" 192.0.2.2
expect_match "after SIGHUP a line per zone again, with the new serial" \
	"$(tail -n 8 "$DUALNSD_LOG")" "zone single\.test\.: serial 2, 4 records, from $D/single\.zone"

# ---- a secondary follows the SOA serial (RFC 1982 serial arithmetic): new content under
# the same serial, or a serial that went backwards, is served but warned about.
zone "$D/single.zone" single.test. 2 192.0.2.3
hup
expect_eq "new content under the same serial: served" \
	"$(qdig "$PORT" www.single.test A +short)" 192.0.2.3
expect_match "new content under the same serial: warned about" "$(cat "$DUALNSD_LOG")" \
	'warning: zone single\.test\.: content changed but serial 2 did not: secondaries will not follow'
zone "$D/single.zone" single.test. 1 192.0.2.3
hup
expect_match "a serial that went backwards: warned about" "$(cat "$DUALNSD_LOG")" \
	'warning: zone single\.test\.: serial went backwards from 2 to 1 \(RFC 1982\)'
n=$(grep -c 'warning: zone' "$DUALNSD_LOG")
zone "$D/single.zone" single.test. 3 192.0.2.3
hup
expect_eq "a serial that went forward: no warning" "$(grep -c 'warning: zone' "$DUALNSD_LOG")" "$n"

# ---- a folder that cannot be read at reload keeps its zones, and the log says so.
mv "$D/zones" "$D/zones.away"
hup
expect_eq "a folder gone at reload: its zones are kept" "$(status www.a.test)" NOERROR
expect_eq "a folder gone at reload: the zone added before is kept" "$(status www.new.test)" NOERROR
expect_eq "a folder gone at reload: the failed zone still gets SERVFAIL" "$(status www.broken.test)" SERVFAIL
expect_match "a folder gone at reload: reported with its name" "$(cat "$DUALNSD_LOG")" \
	"reload: cannot read the zone folder $D/zones: No such file or directory"
mv "$D/zones.away" "$D/zones"

# ---- the folder emptied: every zone of it removed, the zone file stays.
rm "$D/zones/"*.zone
hup
expect_eq "the folder emptied: its zones are REFUSED" "$(status www.a.test)" REFUSED
expect_eq "the folder emptied: the zone file still answers" "$(status www.single.test)" NOERROR
expect_match "the folder emptied: the reload line" "$(grep 'reload: .* failed' "$DUALNSD_LOG" | tail -n 1)" \
	'reload: 1 zone, 0 added, 3 removed \(a\.test\., broken\.test\., new\.test\.\), 0 failed'
stop_dualnsd
