# SPDX-License-Identifier: BSD-3-Clause
# tests/system/lib.sh: shared harness for the system tests (sourced, bash).
#
# Every system, scale, sysd, hardening and package test sources this file. On top of
# tests/lib/common.sh (free_port, wait_for, qdig, processes stopped on exit...) it gives:
#   SYS_TMP, sys_tmpdir      a fresh folder under $top_builddir (removed on exit)
#   start_dualnsd ARGS...    run $DUALNSD -p $PORT -l 127.0.0.1 ARGS; sets DUALNSD_PID PORT DUALNSD_LOG
#   stop_dualnsd             SIGTERM, wait, require exit status 0
#   sys_hup                  SIGHUP dualnsd and wait for its reload line
#   start_nsd ZONE ORIGIN    run Debian's nsd on a free port; sets NSD_PORT NSD_PID (77 if missing)
#   start_knot ZONE ORIGIN   run Debian's knotd on a free port; sets KNOT_PORT KNOT_PID (77 if missing)
#   skip MSG / fail MSG      exit 77 / exit 1
#   expect_eq WHAT GOT WANT  and friends: record a failure (naming WHAT, which cites the RFC)
#                            and go on, so one run lists every broken assertion
#   dig_status/dig_flag/dig_count/dig_section  read dig's output
#   dnsraw ARGS...           tests/system/dnsraw.py, the raw wire tool
#   need_package_opt_in WHY  exit 77 unless DUALNS_TEST_PACKAGE=1 or CI=true
#   need_deb_build / deb_build   the .debs of this source tree, built once per build tree
# On exit every process started here is stopped, the logs of a failed test are printed
# and the temp folders removed.
#
# Tests only listen on 127.0.0.1, only write under $top_builddir, and never send traffic
# anywhere else.

if [ -z "${BASH_VERSION:-}" ]; then
	echo "lib.sh needs bash" >&2
	exit 99
fi

: "${top_srcdir:?top_srcdir is not set: run the tests with make check}"
: "${top_builddir:?top_builddir is not set: run the tests with make check}"
. "$top_srcdir/tests/lib/common.sh" || exit 99

SYS_NAME=$(basename "${0%.sh}")
SYS_FAILS=0
SYS_LOGS=()

# ---------------------------------------------------------------- reporting

skip() {
	echo "SKIP: $*"
	exit 77
}

fail() {
	echo "FAIL: $*"
	exit 1
}

note() {
	echo "# $*"
}

# ok WHAT: an assertion that held. bad WHAT DETAIL: one that did not (the test goes on,
# and ends with status 1).
ok() {
	echo "ok - $1"
}

bad() {
	SYS_FAILS=$((SYS_FAILS + 1))
	echo "not ok - $1"
	shift
	local line
	for line in "$@"; do
		echo "#   $line"
	done
}

# expect_eq WHAT GOT WANT: WHAT names the fact and cites its RFC.
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		bad "$1" "want: $3" "got:  $2"
	fi
}

expect_ne() {
	if [ "$2" != "$3" ]; then
		ok "$1"
	else
		bad "$1" "want anything but: $3" "got: $2"
	fi
}

# expect_match WHAT GOT ERE: GOT matches the extended regular expression ERE.
expect_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		ok "$1"
	else
		bad "$1" "want a match for: $3" "got: $2"
	fi
}

expect_nomatch() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		bad "$1" "want no match for: $3" "got: $2"
	else
		ok "$1"
	fi
}

# expect_le WHAT GOT MAX, expect_ge WHAT GOT MIN: integer bounds.
expect_le() {
	if [ "$2" -le "$3" ] 2>/dev/null; then
		ok "$1"
	else
		bad "$1" "want: <= $3" "got:  $2"
	fi
}

expect_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then
		ok "$1"
	else
		bad "$1" "want: >= $3" "got:  $2"
	fi
}

# kv KEY LINE: the value of KEY=VALUE in one line of dnsraw output.
kv() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

# expect_kv WHAT LINE KEY WANT: a dnsraw reply field.
expect_kv() {
	expect_eq "$1" "$(kv "$3" "$2")" "$4"
}

# ---------------------------------------------------------------- cleanup

# sys_report: on exit, once every process is stopped: the logs of a failed test, and
# status 1 when an assertion failed.
sys_report() {
	local log
	if [ "$EXIT_STATUS" -ne 0 ] && [ "$EXIT_STATUS" -ne 77 ] || [ "$SYS_FAILS" -gt 0 ]; then
		for log in "${SYS_LOGS[@]}"; do
			if [ -s "$log" ]; then
				echo "# ---- $log (last 30 lines)"
				tail -n 30 "$log" | sed 's/^/#   /'
			fi
		done
	fi
	if [ "$SYS_FAILS" -gt 0 ]; then
		echo "$SYS_NAME: $SYS_FAILS assertion(s) failed"
		[ "$EXIT_STATUS" -eq 0 ] && EXIT_STATUS=1
	fi
}
on_exit sys_report

new_tmpdir SYS_TMP "$top_builddir" "sys-$SYS_NAME" || fail "mktemp under $top_builddir"

# sys_tmpdir: echo a fresh folder. It lives inside $SYS_TMP, so it is removed on exit even
# when called as d=$(sys_tmpdir) (a subshell, which cannot register anything).
sys_tmpdir() {
	mktemp -d "$SYS_TMP/tmp.XXXXXX" || fail "mktemp under $SYS_TMP"
}

# ---------------------------------------------------------------- tools

need_python() {
	command -v "$PYTHON3" >/dev/null 2>&1 || skip "python3 not found"
}

need_tool() {
	command -v "$1" >/dev/null 2>&1 || skip "$1 not found (${2:-install it})"
}

dnsraw() {
	"$PYTHON3" "$DNSRAW_PY" "$@"
}

# ---------------------------------------------------------------- dualnsd

# start_dualnsd ARGS...: run dualnsd on 127.0.0.1 on a free port in the background
# (dualnsd_start_free); fail unless it serves.
start_dualnsd() {
	local rc=0
	[ -x "$DUALNSD" ] || fail "$DUALNSD is not built"
	dualnsd_start_free "$SYS_TMP" "$@" || rc=$?
	SYS_LOGS+=("$DUALNSD_LOG")
	[ "$rc" -eq 0 ] && return 0
	echo "# dualnsd log:"; sed 's/^/#   /' "$DUALNSD_LOG"
	[ "$rc" -eq 2 ] && fail "dualnsd did not say 'serving ... port $PORT (udp+tcp)' within ${DUALNSD_WAIT:-20} s"
	fail "dualnsd $* exited before serving"
}

# stop_dualnsd: SIGTERM must stop it cleanly with status 0.
stop_dualnsd() {
	kill -0 "$DUALNSD_PID" 2>/dev/null || { bad "dualnsd was still running before SIGTERM"; return; }
	stop_pid "$DUALNSD_PID"
	if [ "$STOP_STATUS" = killed ]; then
		bad "dualnsd stops within 5 s of SIGTERM"
		return
	fi
	expect_eq "dualnsd exits with status 0 on SIGTERM" "$STOP_STATUS" 0
}

# sys_hup: SIGHUP to dualnsd, then wait until its log holds one more reload line.
sys_hup() {
	local before
	before=$(reloads)
	kill -HUP "$DUALNSD_PID"
	wait_for 20 reloads_ge "$((before + 1))" || bad "a reload is logged within 20 s of SIGHUP"
}

# ---------------------------------------------------------------- zones and reloads

# zone FILE ORIGIN SERIAL [ADDRESS]: a small good zone whose www has ADDRESS.
zone() {
	cat >"$1.tmp" <<EOZ
\$ORIGIN $2
\$TTL 300
@    IN SOA ns hostmaster $3 7200 3600 1209600 300
@    IN NS  ns
ns   IN A   192.0.2.53
www  IN A   ${4:-192.0.2.1}
EOZ
	mv "$1.tmp" "$1"
}

# status NAME: the RCODE of NAME A over UDP.
status() {
	dig_status "$(qdig "$PORT" "$1" A)"
}

# reloads: how many reload lines the log holds.
reloads() {
	grep -c 'reload: .* failed' "$DUALNSD_LOG"
}
reloads_ge() {
	[ "$(reloads)" -ge "$1" ]
}

# hup: SIGHUP to DUALNSD_PID, then wait until its reload line is logged.
HUPS=0
hup() {
	HUPS=$((HUPS + 1))
	kill -HUP "$DUALNSD_PID"
	wait_for 20 reloads_ge "$HUPS" || bad "reload $HUPS is logged within 20 s"
}

# ---------------------------------------------------------------- reference servers

# sys_copy_zone ZONEFILE DIR: copy the zone file and everything beside it it may
# $INCLUDE (*.inc) into DIR, so a reference server resolves includes the same way.
sys_copy_zone() {
	local src=$1 dir=$2 inc
	cp "$src" "$dir/" || fail "copy $src"
	for inc in "$(dirname "$src")"/*.inc; do
		[ -e "$inc" ] && cp "$inc" "$dir/"
	done
	chmod -R a+rX "$dir"
}

# sys_start_ref nsd|knot ZONEFILE ORIGIN: a copy of the zone served by a reference server
# on a free port (ref_start_free); fail unless it serves.
sys_start_ref() {
	local kind=$1 zone=$2 origin=$3 dir
	dir=$(sys_tmpdir)
	[ -d "$dir" ] || fail "no temp folder"
	sys_copy_zone "$zone" "$dir"
	ref_start_free "$kind" "$dir" "$origin" "$dir/$(basename "$zone")" && { SYS_LOGS+=("$REF_LOG"); return 0; }
	sed 's/^/#   /' "$REF_LOG"
	fail "$kind did not serve $origin within 20 s"
}

# start_nsd ZONEFILE ORIGIN: NSD on 127.0.0.1 on a free port, RRL off.
start_nsd() {
	need_tool nsd "apt-get install nsd"
	sys_start_ref nsd "$1" "$2"
	NSD_PORT=$REF_PORT NSD_PID=$REF_PID
}

# start_knot ZONEFILE ORIGIN: Knot DNS on 127.0.0.1 on a free port.
start_knot() {
	need_tool knotd "apt-get install knot"
	sys_start_ref knot "$1" "$2"
	KNOT_PORT=$REF_PORT KNOT_PID=$REF_PID
}

# ---------------------------------------------------------------- dig helpers

# qkdig PORT ARGS...: kdig against 127.0.0.1#PORT, no retries.
qkdig() {
	local port=$1
	shift
	kdig @127.0.0.1 -p "$port" +retry=0 +time=2 "$@" 2>&1
}

# dig_status OUT: the RCODE name (NOERROR, NXDOMAIN, ...), or "timeout" (dig or kdig).
dig_status() {
	local s
	s=$(printf '%s\n' "$1" | sed -n 's/.*status: \([A-Z0-9]*\)[,;].*/\1/p' | tail -n 1)
	if [ -z "$s" ]; then
		if printf '%s\n' "$1" | grep -Eqi 'timed out|no servers could be reached|failed to query'; then
			s=timeout
		else
			s=none
		fi
	fi
	echo "$s"
}

# dig_flag OUT FLAG: 1 when FLAG (qr aa tc rd ra ad cd) is set in the last header, else 0.
# Works for dig (";; flags: qr aa rd;") and kdig (";; Flags: qr aa rd;").
dig_flag() {
	local flags
	flags=$(printf '%s\n' "$1" | grep -Ei '^;; flags:' | tail -n 1 | sed 's/^;; [Ff]lags: *//; s/;.*//')
	case " $flags " in
		*" $2 "*) echo 1 ;;
		*) echo 0 ;;
	esac
}

# dig_count OUT SECTION: the count dig printed for QUERY, ANSWER, AUTHORITY or ADDITIONAL.
dig_count() {
	printf '%s\n' "$1" | grep -Ei '^;; flags:' | tail -n 1 | sed -n "s/.*$2: \([0-9]*\).*/\1/p"
}

# dig_section OUT NAME: the records of one section (ANSWER, AUTHORITY, ADDITIONAL) as
# "owner ttl class type rdata", tabs squeezed to one space, sorted.
dig_section() {
	printf '%s\n' "$1" | awk -v want=";; $2 SECTION:" '
		$0 == want { on = 1; next }
		on && /^$/ { on = 0 }
		on && /^;/ { next }
		on { print }' | tr -s ' \t' ' ' | LC_ALL=C sort
}

# dig_rrs OUT NAME: like dig_section without the TTL column ("owner class type rdata").
dig_rrs() {
	dig_section "$1" "$2" | awk '{ $2 = ""; sub(/  /, " "); print }' | LC_ALL=C sort
}

# dig_has_opt OUT: 1 when the reply had an OPT record (dig prints an OPT PSEUDOSECTION).
dig_has_opt() {
	if printf '%s\n' "$1" | grep -q 'OPT PSEUDOSECTION'; then echo 1; else echo 0; fi
}

# ---------------------------------------------------------------- Debian packages

# need_package_opt_in WHY: skip unless the slow package tests were asked for
# (DUALNS_TEST_PACKAGE=1) or run in CI (CI=true, a fresh machine they may install on), and
# were not turned off (DUALNS_TEST_PACKAGE=0: .ci/run's second, sanitizer build, whose
# packages would be the same as the first build's). WHY says what makes the test slow.
need_package_opt_in() {
	if [ "${DUALNS_TEST_PACKAGE:-}" = 0 ]; then
		skip "the package tests are turned off (DUALNS_TEST_PACKAGE=0)"
	fi
	if [ "${DUALNS_TEST_PACKAGE:-}" != 1 ] && [ "${CI:-}" != true ]; then
		skip "slow ($1): run with DUALNS_TEST_PACKAGE=1 (or CI=true)"
	fi
}

# need_deb_build: skip unless contrib/debian/build.sh can build the .debs here: the Debian
# build tools and the build dependencies of contrib/debian/control (and flock, which
# deb_build takes its lock with).
need_deb_build() {
	local tool missing
	for tool in dpkg-buildpackage dh fakeroot dpkg-checkbuilddeps; do
		need_tool "$tool" "apt-get install dpkg-dev debhelper fakeroot"
	done
	need_tool flock "apt-get install util-linux"
	missing=$(cd "$top_srcdir" && dpkg-checkbuilddeps contrib/debian/control 2>&1) ||
		skip "build dependencies missing: $(printf '%s\n' "$missing" | sed -n 's/.*[Uu]nmet build dependencies: //p')"
}

# Where deb_build keeps the .debs for every package test of this build tree (make clean
# removes it), and the lock that one build at a time holds.
DEB_CACHE=$top_builddir/tests/package/debs
DEB_LOCK=$top_builddir/tests/package/debs.lock
# How long a test waits for another one's package build, in seconds.
DEB_LOCK_SECONDS=1800

# deb_source_key: a digest of what contrib/debian/build.sh builds from. In a git work tree:
# the contents of the tracked files as they are now (build.sh copies those); otherwise the
# name, size and time of every file of the source tree outside the build tree.
deb_source_key() {
	local top
	top=$(cd "$top_srcdir" && pwd)
	{
		echo "DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-}"
		if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
			[ "$(git -C "$top" rev-parse --show-toplevel)" = "$top" ]; then
			(cd "$top" && git ls-files -z --cached |
				while IFS= read -r -d '' f; do
					[ -f "$f" ] && printf '%s\0' "$f"
				done | xargs -0 -r sha256sum)
		else
			find "$top" -path "$(cd "$top_builddir" && pwd)" -prune -o -type f -printf '%P %s %T@\n' |
				LC_ALL=C sort
		fi
	} | sha256sum | cut -d' ' -f1
}

# deb_build: the dualns and dualq .debs of this source tree, built with
# contrib/debian/build.sh once for all the package tests of this build tree: they are kept
# in DEB_CACHE with the digest of the sources they were built from (deb_source_key) and
# built again when that changes. One test builds at a time, holding DEB_LOCK; another waits
# for it (up to DEB_LOCK_SECONDS) and then uses what it built. Copies the two .debs to
# $SYS_TMP/debs and sets DEB_VERSION, DEB_SERVER and DEB_CLIENT (their paths there); fails
# when the build fails, and the build log is printed on exit.
deb_build() {
	local arch key start lock_fd server client
	DEB_VERSION=$(dpkg-parsechangelog -l "$top_srcdir/contrib/debian/changelog" -S Version) ||
		fail "cannot read the version in contrib/debian/changelog"
	arch=$(dpkg --print-architecture)
	server=dualns_${DEB_VERSION}_$arch.deb
	client=dualq_${DEB_VERSION}_$arch.deb
	mkdir -p "$(dirname "$DEB_CACHE")" || fail "cannot make $(dirname "$DEB_CACHE")"
	exec {lock_fd}>>"$DEB_LOCK" || fail "cannot open $DEB_LOCK"
	if ! flock -n "$lock_fd"; then
		note "another test is building the .debs: waiting for it (at most $DEB_LOCK_SECONDS s)"
		flock -w "$DEB_LOCK_SECONDS" "$lock_fd" || fail "no lock on $DEB_LOCK after $DEB_LOCK_SECONDS s"
	fi
	key=$(deb_source_key)
	if [ -f "$DEB_CACHE/$server" ] && [ -f "$DEB_CACHE/$client" ] &&
		[ "$(cat "$DEB_CACHE/source.key" 2>/dev/null)" = "$key" ]; then
		note "the .debs in $DEB_CACHE were built from these sources: using them"
	else
		rm -rf "$DEB_CACHE"
		mkdir -p "$DEB_CACHE" || fail "cannot make $DEB_CACHE"
		SYS_LOGS+=("$DEB_CACHE/build.log")
		start=$(date +%s)
		TMPDIR=$SYS_TMP "$top_srcdir/contrib/debian/build.sh" "$DEB_CACHE" >"$DEB_CACHE/build.log" 2>&1 ||
			fail "contrib/debian/build.sh failed"
		note "build.sh: $(( $(date +%s) - start )) s"
		[ -f "$DEB_CACHE/$server" ] && [ -f "$DEB_CACHE/$client" ] ||
			fail "build.sh made no $server and $client in $DEB_CACHE"
		echo "$key" >"$DEB_CACHE/source.key"
	fi
	mkdir -p "$SYS_TMP/debs" && cp "$DEB_CACHE/$server" "$DEB_CACHE/$client" "$SYS_TMP/debs/" ||
		fail "cannot copy the .debs to $SYS_TMP/debs"
	# Closed before anything long-lived starts: a child holding the descriptor would hold the lock.
	exec {lock_fd}>&-
	DEB_SERVER=$SYS_TMP/debs/$server
	DEB_CLIENT=$SYS_TMP/debs/$client
}
