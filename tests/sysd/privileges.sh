#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/sysd/privileges.sh: -u drops to a user on every thread for good, --chroot confines, and reload still works after both.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99
. "$top_srcdir/tests/sysd/common.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root: -u and --chroot drop root's privileges"
need_tool dig "apt-get install dnsutils"
id nobody >/dev/null 2>&1 || skip "no user nobody"
nobody_uid=$(id -u nobody)
nobody_gid=$(id -g nobody)

# The zones go where nobody can read them after the drop: the build tree may not be
# readable by others, so a folder of our own, under $TMPDIR, opened up with chmod.
new_tmpdir base "${TMPDIR:-/tmp}" dualns-privileges || fail "mktemp"
chmod 755 "$base"

# ids_of PID: the Uid, Gid and Groups lines of every thread, unique (one line per kind
# when every thread agrees), as "Uid: r e s fs".
ids_of() {
	cat /proc/"$1"/task/*/status | awk '$1 == "Uid:" || $1 == "Gid:" || $1 == "Groups:"' |
		tr -s ' \t' ' ' | sed 's/ $//' | LC_ALL=C sort -u
}

# ---------------------------------------------------------------- -u nobody

dir="$base/plain"
mkdir -m 755 "$dir"
zone="$dir/sysd.test.zone"
sysd_zone "$zone" 1 192.0.2.1
# A second zone nobody cannot read: served (loaded as root), but dualnsd says at startup
# that a reload will not be able to read it.
secret="$dir/secret.zone"
sysd_zone "$secret" 1 192.0.2.9
sed -i 's/sysd\.test\./secret.test./' "$secret"
chmod 644 "$zone"
chmod 600 "$secret"

start_dualnsd -u nobody --workers 2 "$zone" "$secret"
pid=$DUALNSD_PID
# threads_ge N: the process has at least N threads (for wait_for).
threads_ge() {
	[ "$(ls /proc/"$pid"/task | wc -l)" -ge "$1" ]
}
wait_for 20 threads_ge 3
threads=$(ls /proc/"$pid"/task | wc -l)
expect_ge "-u nobody --workers 2: the main thread and two workers" "$threads" 3
expect_eq "-u nobody: every thread runs as nobody (real, effective, saved, fs uid)" \
	"$(ids_of "$pid" | grep '^Uid:')" "Uid: $nobody_uid $nobody_uid $nobody_uid $nobody_uid"
expect_eq "-u nobody: every thread has nobody's group" \
	"$(ids_of "$pid" | grep '^Gid:')" "Gid: $nobody_gid $nobody_gid $nobody_gid $nobody_gid"
want_groups=$(id -G nobody | tr ' ' '\n' | LC_ALL=C sort -n | paste -sd' ' -)
got_groups=$(ids_of "$pid" | sed -n 's/^Groups: *//p' | tr ' ' '\n' | LC_ALL=C sort -n | paste -sd' ' -)
expect_eq "-u nobody: root's supplementary groups are gone, nobody's are set" "$got_groups" "$want_groups"
# No capability left, permitted or effective: setuid(0) cannot succeed again.
expect_eq "-u nobody: no capabilities left (CapPrm, CapEff)" \
	"$(awk '$1 == "CapPrm:" || $1 == "CapEff:" { print $2 }' /proc/"$pid"/status | sort -u)" \
	0000000000000000
expect_eq "-u nobody: answers over UDP" "$(a_udp "$PORT")" 192.0.2.1
expect_eq "-u nobody: answers over TCP" "$(a_tcp "$PORT")" 192.0.2.1
expect_eq "-u nobody: no warning about running as root" \
	"$(grep -c 'running as root' "$DUALNSD_LOG")" 0
expect_match "-u nobody: says at startup that nobody cannot read the 600 zone file" \
	"$(cat "$DUALNSD_LOG")" "warning: $secret: user nobody cannot read it"

# Reload as nobody: the readable zone changes, the unreadable one keeps its data.
sysd_zone "$zone" 2 192.0.2.2
chmod 644 "$zone"
kill -HUP "$pid"
wait_for 5 grep -q 'reload:' "$DUALNSD_LOG" || bad "-u nobody: SIGHUP is logged"
expect_eq "-u nobody: after SIGHUP the changed zone is served over UDP" "$(a_udp "$PORT")" 192.0.2.2
expect_eq "-u nobody: after SIGHUP the changed zone is served over TCP" "$(a_tcp "$PORT")" 192.0.2.2
expect_match "-u nobody: the reload loads the readable zone, fails the other" \
	"$(grep 'reload:' "$DUALNSD_LOG")" 'reload: 2 zones, 0 added, 0 removed, 1 failed'
expect_eq "-u nobody: the unreadable zone keeps its data" \
	"$(qdig "$PORT" www.secret.test A +short)" 192.0.2.9
stop_dualnsd

# ---------------------------------------------------------------- --chroot with -u

# In an ASan build (./configure --enable-sanitizers) LeakSanitizer lists the threads in
# /proc/PID/task at exit, which the chroot hides: it fails and the exit status is not 0.
# Leak checking stays on for the other cases; other ASan/UBSan checks stay on here.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

root="$base/jail"
mkdir -m 755 "$root" "$root/zones"
zone="$root/zones/sysd.test.zone"
sysd_zone "$zone" 1 192.0.2.1
# $INCLUDE is relative to the zone file's folder: inside the chroot too.
echo 'mail IN A 192.0.2.25' >"$root/zones/mail.inc"
echo '$INCLUDE mail.inc' >>"$zone"
chmod 644 "$root"/zones/*

start_dualnsd -u nobody --chroot "$root" "$zone"
pid=$DUALNSD_PID
expect_eq "--chroot: the process's root is the folder" "$(readlink /proc/"$pid"/root)" "$root"
expect_eq "--chroot -u nobody: runs as nobody" \
	"$(ids_of "$pid" | grep '^Uid:')" "Uid: $nobody_uid $nobody_uid $nobody_uid $nobody_uid"
expect_eq "--chroot: answers over UDP" "$(a_udp "$PORT")" 192.0.2.1
expect_eq "--chroot: answers over TCP" "$(a_tcp "$PORT")" 192.0.2.1
expect_eq "--chroot: \$INCLUDE resolves inside the chroot" \
	"$(qdig "$PORT" mail.sysd.test A +short)" 192.0.2.25
sysd_zone "$zone" 2 192.0.2.2
echo '$INCLUDE mail.inc' >>"$zone"
echo 'mail IN A 192.0.2.26' >"$root/zones/mail.inc"
chmod 644 "$root"/zones/*
kill -HUP "$pid"
wait_for 5 grep -q 'reload:' "$DUALNSD_LOG" || bad "--chroot: SIGHUP is logged"
expect_match "--chroot: the reload loads the zone from inside the chroot" \
	"$(grep 'reload:' "$DUALNSD_LOG")" 'reload: 1 zone, 0 added, 0 removed, 0 failed'
expect_eq "--chroot: after SIGHUP the changed zone is served" "$(a_udp "$PORT")" 192.0.2.2
expect_eq "--chroot: after SIGHUP the changed include is served" \
	"$(qdig "$PORT" mail.sysd.test A +short)" 192.0.2.26
stop_dualnsd

# A relative zone path, from a folder inside the chroot, and --chroot without -u.
pushd "$root" >/dev/null || fail "cd $root"
start_dualnsd --chroot "$root" zones/sysd.test.zone
popd >/dev/null || fail "cd back"
expect_eq "--chroot with a relative zone path: answers" "$(a_udp "$PORT")" 192.0.2.2
expect_eq "--chroot as root without -u: warns once that it runs as root" \
	"$(grep -c 'warning: running as root' "$DUALNSD_LOG")" 1
stop_dualnsd

# A folder as the zone argument, inside the chroot: read from inside it at startup and
# again on SIGHUP, as nobody (a file added to it is served).
start_dualnsd -u nobody --chroot "$root" "$root/zones"
expect_eq "--chroot with a folder: its zone answers" "$(a_udp "$PORT")" 192.0.2.2
sysd_zone "$root/zones/added.zone" 1 192.0.2.7
sed -i 's/sysd\.test\./added.test./' "$root/zones/added.zone"
chmod 644 "$root/zones/added.zone"
kill -HUP "$DUALNSD_PID"
wait_for 5 grep -q 'reload: .* failed' "$DUALNSD_LOG" || bad "--chroot with a folder: SIGHUP is logged"
expect_match "--chroot with a folder: the reload reads the folder inside the chroot" \
	"$(grep 'reload: .* failed' "$DUALNSD_LOG")" \
	'reload: 2 zones, 1 added \(added\.test\. from /zones/added\.zone\), 0 removed, 0 failed'
expect_eq "--chroot with a folder: the file added to it is served" \
	"$(qdig "$PORT" www.added.test A +short)" 192.0.2.7
stop_dualnsd
rm "$root/zones/added.zone"

# A secondary zone's kept file inside the chroot: loaded from inside it at startup.
sysd_zone "$root/zones/kept.zone" 5 192.0.2.5
chmod 644 "$root/zones/kept.zone"
printf 'remote:\n  id: p\n  address: 127.0.0.1@%s\nzone:\n  domain: sysd.test\n  master: p\n  file: zones/kept.zone\n' \
	"$(free_port)" >"$root/secondary.conf"
start_dualnsd -u nobody --chroot "$root" -c "$root/secondary.conf"
expect_eq "--chroot: a secondary zone's kept file is served from inside the chroot" \
	"$(a_udp "$PORT")" 192.0.2.5
expect_match "--chroot: the kept file's path is the one inside the chroot" \
	"$(cat "$DUALNSD_LOG")" 'secondary sysd.test: serial 5 from /zones/kept.zone'
stop_dualnsd
rm "$root/zones/kept.zone" "$root/secondary.conf"

# A folder nobody may not read: said at startup, since SIGHUP could not list it.
mkdir -m 700 "$base/private"
sysd_zone "$base/private/private.zone" 1 192.0.2.8
start_dualnsd -u nobody "$base/private"
expect_match "-u nobody with a folder it cannot read: warned at startup" "$(cat "$DUALNSD_LOG")" \
	"warning: $base/private: user nobody cannot read the folder"
stop_dualnsd

# ---------------------------------------------------------------- root without -u

start_dualnsd "$zone"
expect_eq "root without -u: one warning line says so" \
	"$(grep -c 'warning: running as root: give -u USER' "$DUALNSD_LOG")" 1
expect_eq "root without -u: still answers" "$(a_udp "$PORT")" 192.0.2.2
stop_dualnsd

# ---------------------------------------------------------------- errors: one line, exit 1

# run_error WHAT WANT-ERE ARGS...: dualnsd must exit 1 before serving, with one line.
run_error() {
	local what=$1 want=$2 out status
	shift 2
	out=$("$DUALNSD" -l 127.0.0.1 -p "$(free_port)" "$@" 2>&1)
	status=$?
	expect_eq "$what: exit 1" "$status" 1
	expect_eq "$what: one line" "$(printf '%s\n' "$out" | wc -l)" 1
	expect_match "$what: says why" "$out" "$want"
}
run_error "-u with an unknown user" "error: --user: unknown user 'dualns-no-such-user'" \
	-u dualns-no-such-user "$zone"
run_error "--chroot into a missing folder" "error: --chroot: $base/missing: No such file or directory" \
	--chroot "$base/missing" "$zone"
run_error "--chroot with a zone file outside it" \
	"error: --chroot $root: the zone file $dir/sysd.test.zone is outside it" \
	--chroot "$root" "$dir/sysd.test.zone"
run_error "--chroot with a zone folder outside it" \
	"error: --chroot $root: the zone folder $dir is outside it" --chroot "$root" "$dir"
# A sibling whose name starts with the chroot's is still outside (/x/jail2 is not in /x/jail).
mkdir -m 755 "$root"2
cp "$zone" "$root"2/
run_error "--chroot with a zone file in a sibling folder named like it" \
	"the zone file $root""2/sysd.test.zone is outside it" --chroot "$root" "$root"2/sysd.test.zone
# Not root and -u someone else: setuid fails, and dualnsd says so instead of serving.
if command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid="$nobody_uid" --regid="$nobody_gid" --clear-groups test -x "$DUALNSD" 2>/dev/null; then
	out=$(setpriv --reuid="$nobody_uid" --regid="$nobody_gid" --clear-groups \
		"$DUALNSD" -l 127.0.0.1 -p "$(free_port)" -u root "$zone" 2>&1)
	expect_eq "-u root while running as nobody: exit 1" "$?" 1
	expect_match "-u root while running as nobody: says -u needs root" "$out" \
		'error: --user root: cannot .*(-u needs root)'
else
	note "the build tree is not reachable by nobody (or no setpriv): -u without root is not tested"
fi
