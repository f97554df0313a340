#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# notifyin.sh: secondary zones and NOTIFY in (RFC 1996 section 3). A NOTIFY for a
# secondary zone from an address its notify ACL allows is answered at once NOERROR with
# AA and the question, and the zone refreshes now; from elsewhere REFUSED with EDE 18;
# for a zone that is no secondary of ours (a primary zone, an unknown one) NOTAUTH; one
# signed with the key the ACL names is answered signed. A secondary zone with no data yet
# is SERVFAIL; one with a kept file is served from it at start, and a SIGHUP keeps the
# version it serves instead of reading the file again. stats.dualns. and SIGUSR1 show
# each secondary zone's serial, refreshes and last error.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_tool dig "apt-get install dnsutils"
PY=
for py in "$PYTHON3" /usr/bin/python3; do
	if "$py" -c 'import dns.message' 2>/dev/null; then
		PY=$py
		break
	fi
done
[ -n "$PY" ] || skip "no python3 with dnspython (apt-get install python3-dnspython)"
ASK="$top_srcdir/tests/system/notifyask.py"
SECRET=SBqANWyYGDr2AMKgRV4Nj2zIHRoFxQDOujF6L7yIC1A=
KEY="notify.key.:hmac-sha256:$SECRET"

# notify ARGS...: one NOTIFY (notifyask.py), its one-line description.
notify() {
	"$PY" "$ASK" --port "$PORT" "$@" 2>/dev/null
}

D=$(sys_tmpdir)
# The primary is a port nobody listens on: every refresh fails, which is all the
# secondary needs here (the transfers themselves are tests/xfr's).
PRIMARY_PORT=$(free_port)
cat >"$D/kept.zone" <<ZONE
\$ORIGIN kept.example.
\$TTL 300
@ IN SOA ns1 hostmaster 2024010101 3600 600 86400 60
@ IN NS ns1
ns1 IN A 192.0.2.1
ZONE
cat >"$D/dualnsd.conf" <<CONF
key:
  - id: notify.key.
    algorithm: hmac-sha256
    secret: $SECRET
remote:
  - id: primary
    address: 127.0.0.1@$PRIMARY_PORT
acl:
  - id: local
    address: 127.0.0.1
    action: notify
  - id: keyed
    key: notify.key.
    action: notify
zone:
  - domain: example.com
    file: $top_srcdir/zones/example.com.zone
    acl: local
  - domain: sec.example
    master: primary
    acl: local
  - domain: signed.example
    primary: primary
    acl: keyed
  - domain: kept.example
    master: primary
    file: kept.zone
    acl: local
CONF
out=$("$DUALNSD" --check -c "$D/dualnsd.conf" 2>&1)
expect_eq "--check -c with secondary zones: exit 0" "$?" 0
expect_match "--check: a secondary zone's kept file is checked" "$out" \
	"^kept.example: secondary, kept in $D/kept.zone: serial 2024010101, 3 records: ok\$"
expect_match "--check: a secondary zone with no file" "$out" \
	'^sec.example: secondary, kept in memory: until the first transfer$'

start_dualnsd -c "$D/dualnsd.conf"

# --- Serving before any transfer.
r=$(qdig "$PORT" sec.example SOA)
expect_eq "a secondary zone with no data yet: SERVFAIL (RFC 1034 section 4.3.5)" \
	"$(dig_status "$r")" SERVFAIL
r=$(qdig "$PORT" +norec kept.example SOA)
expect_eq "a secondary zone with a kept file: served from it at start" "$(dig_status "$r")" NOERROR
expect_match "the kept file's serial" "$r" "2024010101"
wait_for 10 grep -q "secondary kept.example: refresh failed" "$DUALNSD_LOG" ||
	bad "the first refresh starts at once, and its failure is logged"

# --- NOTIFY in.
r=$(notify sec.example)
expect_kv "NOTIFY from the ACL's address: NOERROR (RFC 1996 section 3.7)" "$r" rcode NOERROR
expect_kv "NOTIFY answer: opcode NOTIFY, QR" "$r" opcode 4
expect_kv "NOTIFY answer: AA (RFC 1996 section 3.7)" "$r" aa 1
expect_kv "NOTIFY answer: the same ID" "$r" id 1
expect_kv "NOTIFY answer: the question echoed" "$r" question "sec.example./SOA/IN"
wait_for 10 grep -q "secondary sec.example: NOTIFY received, refreshing now" "$DUALNSD_LOG" ||
	bad "a NOTIFY starts a refresh now (RFC 1996 section 3.11)"

r=$(notify --source 127.0.0.2 sec.example)
expect_kv "NOTIFY from outside the notify ACL: REFUSED (RFC 1996 section 3.10)" "$r" rcode REFUSED
expect_kv "NOTIFY refused: EDE 18, Prohibited (RFC 8914 section 4.19)" "$r" ede 18

r=$(notify example.com)
expect_kv "NOTIFY for a primary zone of ours: NOTAUTH" "$r" rcode NOTAUTH
r=$(notify nowhere.test)
expect_kv "NOTIFY for a zone we do not serve: NOTAUTH" "$r" rcode NOTAUTH

r=$(notify --key "$KEY" signed.example)
expect_kv "signed NOTIFY with the ACL's key: NOERROR" "$r" rcode NOERROR
expect_kv "signed NOTIFY: the answer is signed (RFC 8945 section 5.3)" "$r" tsig 1
expect_kv "signed NOTIFY: the answer's MAC verifies" "$r" verified 1
r=$(notify signed.example)
expect_kv "unsigned NOTIFY where the ACL wants a key: REFUSED" "$r" rcode REFUSED

# --- Counters and the SIGUSR1 lines.
r=$(qdig "$PORT" +short CH TXT stats.dualns)
expect_match "stats.dualns.: a word per secondary zone with serial and last error" "$r" \
	'"secondary:kept.example=serial:2024010101,last:never,next:[^"]*,error:[^"]+"'
kill -USR1 "$DUALNSD_PID"
wait_for 10 grep -q "secondary sec.example: no data yet, last refresh never" "$DUALNSD_LOG" ||
	bad "SIGUSR1 logs each secondary zone"

# --- A reload keeps the version served, not the file's.
sed -i 's/2024010101/2024010199/' "$D/kept.zone"
sys_hup
r=$(qdig "$PORT" +norec kept.example SOA)
expect_match "after SIGHUP the secondary zone keeps the version it serves" "$r" "2024010101"
r=$(qdig "$PORT" sec.example SOA)
expect_eq "after SIGHUP a zone with no data is still SERVFAIL" "$(dig_status "$r")" SERVFAIL

# --- A configuration reload that removes one secondary zone and adds another.
sed -i 's/domain: sec.example/domain: new.example/' "$D/dualnsd.conf"
sys_hup
wait_for 10 grep -q "secondary sec.example: no longer configured" "$DUALNSD_LOG" ||
	bad "a secondary zone the file drops is stopped, with a line"
r=$(qdig "$PORT" sec.example SOA)
expect_eq "a secondary zone the file dropped is no longer served: REFUSED" "$(dig_status "$r")" REFUSED
r=$(qdig "$PORT" new.example SOA)
expect_eq "a secondary zone the file added: SERVFAIL until its first transfer" \
	"$(dig_status "$r")" SERVFAIL
wait_for 10 grep -q "secondary new.example: refresh failed" "$DUALNSD_LOG" ||
	bad "a secondary zone the file added refreshes at once"
r=$(notify new.example)
expect_kv "NOTIFY for the added secondary zone: NOERROR" "$r" rcode NOERROR

stop_dualnsd
sys_report
