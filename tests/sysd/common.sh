# SPDX-License-Identifier: BSD-3-Clause
# tests/sysd/common.sh: helpers for the systemd and privilege tests (sourced after tests/system/lib.sh,
# whose tests/lib/common.sh gives wait_for and stop_pid).

SYSD_DIR="$top_srcdir/tests/sysd"

# sysd_zone FILE SERIAL ADDRESS: a small zone sysd.test whose www has ADDRESS, so a reload
# shows in the answer as well as in the serial.
sysd_zone() {
	cat >"$1.new" <<ZONE
\$ORIGIN sysd.test.
\$TTL 300
@    IN SOA ns hostmaster $2 3600 600 86400 300
     IN NS  ns
ns   IN A   192.0.2.53
www  IN A   $3
ZONE
	mv "$1.new" "$1"
}

# a_udp PORT / a_tcp PORT: www.sysd.test A over UDP / TCP, or "timeout".
a_udp() {
	local out
	out=$(qdig "$1" www.sysd.test A +short +notcp)
	printf '%s\n' "${out:-timeout}" | head -n 1 | sed 's/^;;.*timed out.*/timeout/'
}
a_tcp() {
	local out
	out=$(qdig "$1" www.sysd.test A +short +tcp)
	printf '%s\n' "${out:-timeout}" | head -n 1 | sed 's/^;;.*timed out.*/timeout/'
}

# start_notifyd ADDRESS: listen as systemd does on ADDRESS (a path or @abstract); sets
# NOTIFY_LOG (one line per message) and NOTIFYD_PID.
start_notifyd() {
	local ready
	NOTIFY_LOG=$(mktemp "$SYS_TMP/notify.XXXXXX")
	ready=$(mktemp "$SYS_TMP/notifyd-ready.XXXXXX")
	"$PYTHON3" "$SYSD_DIR/notifyd.py" "$1" "$NOTIFY_LOG" >"$ready" 2>&1 &
	NOTIFYD_PID=$!
	track_pid "$NOTIFYD_PID"
	wait_for 5 grep -q listening "$ready" || { cat "$ready"; fail "notifyd.py did not start on $1"; }
}

# notify_count KEY=VALUE: how many messages so far carry that line.
notify_count() {
	tr ' ;' '\n\n' <"$NOTIFY_LOG" | grep -cxF -- "$1"
}

# notified_ge KEY=VALUE N: at least N messages carry that line (for wait_for).
notified_ge() {
	[ "$(notify_count "$1")" -ge "$2" ]
}

# notify_sequence: the state lines of every message, in order, space-separated
# ("READY=1 RELOADING=1 READY=1 STOPPING=1").
notify_sequence() {
	tr ' ;' '\n\n' <"$NOTIFY_LOG" | grep -E '^(READY|RELOADING|STOPPING)=' | paste -sd' ' -
}

# sockets_of PID: the TCP and UDP sockets PID has bound, as "proto local-address", sorted.
sockets_of() {
	ss -Htulnp 2>/dev/null | grep -F "pid=$1," | awk '{ print $1, $5 }' | LC_ALL=C sort
}
