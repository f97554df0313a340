#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# notifyinterop.sh: NSD and Knot DNS as secondaries of dualnsd acknowledge its NOTIFY
# (RFC 1996 section 4.7) and log it with dualnsd's serial, unsigned and then signed with
# a TSIG key they require (RFC 8945): a NOTIFY they could not verify would be refused, and
# an answer dualnsd could not verify would be ignored until it gave up. The transfer they
# then ask for is not what this test checks.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
command -v nsd >/dev/null 2>&1 || command -v knotd >/dev/null 2>&1 ||
	skip "neither nsd nor knotd found (apt-get install nsd knot)"

ZONE_DIR=$(sys_tmpdir)
sys_copy_zone "$top_srcdir/zones/example.com.zone" "$ZONE_DIR"
SERIAL=$(sed -n 's/^ *\([0-9]*\) *; serial.*/\1/p' "$ZONE_DIR/example.com.zone")
# TSIG_NAME: the key the secondaries require for NOTIFY; empty: none (NSD's NOKEY).
TSIG_NAME=
TSIG_SECRET=$(printf 'notify interop key, 32 bytes....' | base64)

# nsd_secondary DIR PORT PRIMARY_PORT: NSD on 127.0.0.1 PORT, example.com. a secondary
# zone of 127.0.0.1 PRIMARY_PORT that takes NOTIFY from 127.0.0.1 (signed with TSIG_NAME
# when set).
nsd_secondary() {
	nsd_secondary_conf "$1" 127.0.0.1 "$2" example.com 127.0.0.1 "$3" "$TSIG_NAME" "$TSIG_SECRET"
	nsd -d -c "$1/nsd.conf" 2>>"$1/ref.log" &
	REF_PID=$!
	track_pid "$REF_PID"
}

# knot_secondary DIR PORT PRIMARY_PORT: the same with Knot (a remote, an acl with action
# notify, the zone's master).
knot_secondary() {
	knot_secondary_conf "$1" 127.0.0.1 "$2" example.com 127.0.0.1 "$3" "$TSIG_NAME" "$TSIG_SECRET"
	knotd -c "$1/knot.conf" 2>>"$1/ref.log" &
	REF_PID=$!
	track_pid "$REF_PID"
}

# answers PORT: something answers DNS on 127.0.0.1 PORT (the secondary has no data yet:
# SERVFAIL will do).
answers() {
	qdig "$1" example.com SOA | grep -q 'status: '
}

# check KIND PATTERN: KIND as the secondary: it acknowledges dualnsd's NOTIFY, and its
# log shows the NOTIFY (PATTERN, with the serial).
check() {
	local kind=$1 pattern=$2 dir ref_port primary_port
	dir=$(sys_tmpdir)
	ref_port=$(free_port) || fail "no free port"
	primary_port=$ref_port
	while [ "$primary_port" = "$ref_port" ]; do
		primary_port=$(free_port) || fail "no free port"
	done
	"${kind}_secondary" "$dir" "$ref_port" "$primary_port"
	SYS_LOGS+=("$dir/ref.log")
	wait_for 20 answers "$ref_port" || fail "$kind did not start on port $ref_port"
	local args=(--also-notify "127.0.0.1@$ref_port")
	[ -z "$TSIG_NAME" ] ||
		args=(--key "$TSIG_NAME:hmac-sha256:$TSIG_SECRET" --also-notify "127.0.0.1@$ref_port:$TSIG_NAME")
	dualnsd_start "$primary_port" "$dir/dualnsd.log" "${args[@]}" \
		"$ZONE_DIR/example.com.zone" || fail "dualnsd did not start on port $primary_port"
	DUALNSD_LOG=$dir/dualnsd.log
	SYS_LOGS+=("$DUALNSD_LOG")
	wait_for 20 grep -Eq "to 127\\.0\\.0\\.1:$ref_port( key [^ ]*)?: " "$DUALNSD_LOG"
	expect_match "$kind acknowledges the NOTIFY${TSIG_NAME:+ signed with $TSIG_NAME} (RFC 1996 section 4.7, RFC 8945)" \
		"$(cat "$DUALNSD_LOG")" \
		"notify: example\\.com\\. serial $SERIAL to 127\\.0\\.0\\.1:$ref_port${TSIG_NAME:+ key $TSIG_NAME}: acknowledged after 1 try"
	wait_for 20 grep -Eq "$pattern" "$dir/ref.log"
	expect_match "$kind logs the NOTIFY with dualnsd's serial" "$(cat "$dir/ref.log")" "$pattern"
	stop_dualnsd
	stop_pid "$REF_PID"
}

for TSIG_NAME in "" notify-key.example.; do
if command -v nsd >/dev/null 2>&1; then
	check nsd "notify for example\\.com\\. from 127\\.0\\.0\\.1 serial $SERIAL"
else
	note "nsd not found: NSD is not checked"
fi
if command -v knotd >/dev/null 2>&1; then
	check knot "\\[example\\.com\\.\\] notify, incoming, remote 127\\.0\\.0\\.1@[0-9]+, serial $SERIAL"
else
	note "knotd not found: Knot is not checked"
fi
done
