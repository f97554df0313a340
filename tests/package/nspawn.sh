#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/package/nspawn.sh: the .debs under a real systemd: a Debian 12 container booted with
# systemd-nspawn installs them, dualnsd.socket starts dualnsd on the first query, which
# answers over UDP and TCP on IPv4 and IPv6 port 53 as the user dualns with no capability
# but CAP_NET_BIND_SERVICE; then reload, stop and start, upgrade and purge.
#
# Slow (a package build and a debootstrap of bookworm: a few minutes) and it needs root and
# the Debian mirror (DUALNS_TEST_MIRROR, default http://deb.debian.org/debian): it runs only
# with DUALNS_TEST_PACKAGE=1 or in CI (CI=true), where it installs systemd-container and
# debootstrap when they are missing. The container is a folder under the build tree; it has
# a network namespace of its own (--private-network: its port 53 is not the host's) and no
# network, so debootstrap installs everything it needs before it boots. The host's systemd
# is never asked anything (--register=no --keep-unit). On every exit the container is
# stopped and its folder removed.
#
# Each step prints "ok"/"not ok" lines; a step with a failure prints the journal of the
# units from inside the container.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

need_package_opt_in "builds the .debs and a Debian 12 root, then boots it: a few minutes"
[ "$(id -u)" = 0 ] || skip "systemd-nspawn and debootstrap need root"

# need_host_tool TOOL PACKAGE: TOOL must be on the host. In CI a missing one is installed
# with apt-get; elsewhere the test skips.
need_host_tool() {
	command -v "$1" >/dev/null 2>&1 && return 0
	[ "${CI:-}" = true ] || skip "$1 not found (apt-get install $2)"
	note "CI: installing $2 for $1"
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" ||
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2"; }
	} >>"$SYS_TMP/apt.log" 2>&1 || { SYS_LOGS+=("$SYS_TMP/apt.log"); fail "apt-get install $2 failed"; }
	command -v "$1" >/dev/null 2>&1 || fail "apt-get installed $2 but there is no $1"
}
need_host_tool systemd-nspawn systemd-container
need_host_tool debootstrap debootstrap
need_tool nsenter "apt-get install util-linux"
need_deb_build

MIRROR=${DUALNS_TEST_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
# How long the container gets to boot, and to shut down after SIGTERM, in seconds.
BOOT_SECONDS=120
HALT_SECONDS=30
# How long a query waits for its answer; the first one waits for dualnsd to start.
DIG_SECONDS=5
# CAP_NET_BIND_SERVICE is capability number 10 (linux/capability.h).
CAP_NET_BIND_SERVICE_BIT=10

CT_ROOT=$SYS_TMP/root
CT_NAME=dualns-test-$$
NSPAWN_PID=
CT_PID=
STEP=
STEP_FAILS=0
NEW_CGROUPS=()

# ---------------------------------------------------------------- the container

# in_ct CMD...: run CMD inside the container (every namespace of its PID 1) as root, in a
# clean environment; stdin goes through.
in_ct() {
	nsenter --target "$CT_PID" --all env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
		TERM=dumb SYSTEMD_PAGER= SYSTEMD_COLORS=0 "$@"
}

# ct_journal: the last lines the units logged, as comments.
ct_journal() {
	echo "# ---- journalctl -u dualnsd.service -u dualnsd.socket -n 50 (in the container)"
	in_ct journalctl -u dualnsd.service -u dualnsd.socket -n 50 --no-pager 2>&1 | sed 's/^/#   /'
}

# step TITLE: the next step begins. A step with a failure prints the journal when the next
# begins, or on exit.
step() {
	step_end
	STEP=$1
	STEP_FAILS=$SYS_FAILS
	note "step $STEP"
}

step_end() {
	if [ -n "$STEP" ] && [ -n "$CT_PID" ] && [ "$SYS_FAILS" -gt "$STEP_FAILS" ]; then
		note "step $STEP failed"
		ct_journal
	fi
	STEP=
}

# nspawn_cgroups: the cgroups systemd-nspawn --keep-unit makes under its own (payload and
# supervisor), in the hierarchies it uses. systemd removes them with the unit the test runs
# in; a host without systemd keeps them, so the test removes those it made.
nspawn_cgroups() {
	local ctrl path base sub
	while IFS=: read -r _ ctrl path; do
		case $ctrl in
		"")
			base=/sys/fs/cgroup
			[ -f /sys/fs/cgroup/unified/cgroup.procs ] && base=/sys/fs/cgroup/unified
			;;
		name=systemd) base=/sys/fs/cgroup/systemd ;;
		*) continue ;;
		esac
		for sub in payload supervisor; do
			echo "$base${path%/}/$sub"
		done
	done </proc/self/cgroup
}

# ct_find_pid: done waiting for the container's PID 1 (CT_PID): the child of systemd-nspawn
# that runs systemd in a PID namespace of its own; or systemd-nspawn is gone.
ct_find_pid() {
	local child
	kill -0 "$NSPAWN_PID" 2>/dev/null || return 0
	for child in $(cat "/proc/$NSPAWN_PID/task/$NSPAWN_PID/children" 2>/dev/null); do
		if [ "$(cat "/proc/$child/comm" 2>/dev/null)" = systemd ] &&
			[ "$(readlink "/proc/$child/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]; then
			CT_PID=$child
			return 0
		fi
	done
	return 1
}

# ct_state: what systemd in the container says of the boot (starting, running, degraded...).
ct_state() {
	in_ct systemctl is-system-running 2>/dev/null
}

# ct_booted: done waiting for the boot: it finished, or systemd-nspawn is gone.
ct_booted() {
	kill -0 "$NSPAWN_PID" 2>/dev/null || return 0
	case $(ct_state) in running | degraded) return 0 ;; esac
	return 1
}

ct_start() {
	local cg
	for cg in $(nspawn_cgroups); do
		[ -e "$cg" ] || NEW_CGROUPS+=("$cg")
	done
	SYS_LOGS+=("$SYS_TMP/boot.log")
	# TERM=dumb: the boot messages in boot.log come without colours.
	TERM=dumb systemd-nspawn --boot --register=no --keep-unit --private-network --console=read-only \
		--directory="$CT_ROOT" --machine="$CT_NAME" </dev/null >"$SYS_TMP/boot.log" 2>&1 &
	NSPAWN_PID=$!
	wait_for 30 ct_find_pid
	kill -0 "$NSPAWN_PID" 2>/dev/null || fail "systemd-nspawn exited while booting the container"
	[ -n "$CT_PID" ] || fail "no systemd in a PID namespace of its own under systemd-nspawn (pid $NSPAWN_PID) after 30 s"
	wait_for "$BOOT_SECONDS" ct_booted
	kill -0 "$NSPAWN_PID" 2>/dev/null || fail "systemd-nspawn exited while booting the container"
	case $(ct_state) in
	running) ;;
	degraded)
		note "the container booted degraded:"
		in_ct systemctl --failed --no-legend 2>&1 | sed 's/^/#   /'
		;;
	*) fail "the container did not boot within $BOOT_SECONDS s: systemctl is-system-running says $(ct_state)" ;;
	esac
}

# ct_stop: halt the container (systemd-nspawn turns SIGTERM into an orderly shutdown) and
# wait for it; kill it when it takes longer than HALT_SECONDS.
ct_stop() {
	[ -n "$NSPAWN_PID" ] || return 0
	kill -TERM "$NSPAWN_PID" 2>/dev/null
	if ! wait_for_exit "$NSPAWN_PID" "$HALT_SECONDS"; then
		note "the container did not halt within $HALT_SECONDS s of SIGTERM: killing it"
		kill -KILL "$NSPAWN_PID" 2>/dev/null
		# Its PID 1, and with it every process of its PID namespace, if that is still there.
		if [ -n "$CT_PID" ] && [ "$(cat "/proc/$CT_PID/comm" 2>/dev/null)" = systemd ] &&
			[ "$(readlink "/proc/$CT_PID/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]; then
			kill -KILL "$CT_PID" 2>/dev/null
		fi
		wait_for_exit "$NSPAWN_PID" 10
	fi
	wait "$NSPAWN_PID" 2>/dev/null
	NSPAWN_PID=
	CT_PID=
}

# ct_cleanup: on exit: the journal of an interrupted step, the container stopped, the
# cgroups it left removed, and its folder, once nothing is mounted under it (debootstrap
# mounts /proc, /sys and devices there while it runs).
ct_cleanup() {
	local cg mnt
	step_end
	ct_stop
	for cg in "${NEW_CGROUPS[@]}"; do
		[ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	awk -v root="$CT_ROOT/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r mnt; do
			umount -l "$mnt" || echo "# cannot unmount $mnt"
		done
	rm -rf --one-file-system "$CT_ROOT"
}
on_exit ct_cleanup

# ---------------------------------------------------------------- asking

# ask SERVER NAME TYPE [DIG-OPTIONS...]: dig in the container at SERVER port 53, one try;
# prints "RCODE aa=0|1 UDP|TCP" and the answer's records as "TYPE RDATA", sorted, on one
# line (RCODE is "timeout" when nothing came back).
ask() {
	local server=$1 name=$2 type=$3 out proto
	shift 3
	out=$(in_ct dig -r @"$server" -p 53 +tries=1 +time="$DIG_SECONDS" "$@" "$name" "$type" 2>&1)
	proto=$(printf '%s\n' "$out" | sed -n 's/^;; SERVER: .*(\(UDP\|TCP\))$/\1/p' | tail -n 1)
	printf '%s aa=%s %s %s\n' "$(dig_status "$out")" "$(dig_flag "$out" aa)" "${proto:-none}" \
		"$(dig_rrs "$out" ANSWER | awk '{ $1 = ""; $2 = ""; sub(/^ +/, ""); print }' | paste -sd' ' -)" |
		sed 's/ *$//'
}

# answers_soa ORIGIN: ORIGIN's SOA comes back authoritative over UDP (for wait_for).
answers_soa() {
	case $(ask 127.0.0.1 "$1" SOA +notcp) in "NOERROR aa=1 UDP SOA "*) return 0 ;; esac
	return 1
}

# unit_prop UNIT PROPERTY: one property of a unit in the container, from systemctl show.
unit_prop() {
	in_ct systemctl show -p "$2" --value "$1" 2>&1
}

# unit_active UNIT: systemctl is-active of a unit in the container.
unit_active() {
	in_ct systemctl is-active "$1" 2>&1
}

# port53 [users]: the sockets on port 53 in the container, one "udp|tcp ADDRESS:PORT" line
# each, sorted; with "users", each followed by the names of the processes that hold it,
# sorted.
port53() {
	local line proto addr users
	in_ct ss -Htuln${1:+p} 'sport = :53' 2>&1 | while read -r line; do
		read -r proto _ _ _ addr _ <<<"$line"
		users=
		case $line in
		*users:*)
			users=$(printf '%s\n' "${line#*users:}" | grep -o '("[^"]*"' | cut -c3- | tr -d '"' |
				LC_ALL=C sort -u | paste -sd' ' -)
			;;
		esac
		echo "$proto $addr${users:+ $users}"
	done | LC_ALL=C sort
}

# dualnsd_pids: the processes named dualnsd in the container.
dualnsd_pids() {
	in_ct sh -c 'for f in /proc/[0-9]*/comm; do [ "$(cat "$f" 2>/dev/null)" = dualnsd ] && echo "${f%/comm}"; done' |
		sed 's|/proc/||' | paste -sd' ' -
}

# cap_bits HEX: the numbers of the bits set in a capability mask of /proc/PID/status.
cap_bits() {
	local mask=$((16#$1)) bit set=()
	for ((bit = 0; bit < 64; bit++)); do
		(( (mask >> bit) & 1 )) && set+=("$bit")
	done
	echo "${set[*]}"
}

# zone_rdata ZONEFILE OWNER TYPE: the RDATA of OWNER's TYPE record in a bundled zone file.
zone_rdata() {
	awk -v owner="$2" -v type="$3" '$1 == owner && $2 == "IN" && $3 == type { print $4; exit }' "$1"
}

# ---------------------------------------------------------------- the root and the .debs

deb_build

# deb_depends DEB...: what the .debs depend on, one package a line: the first of each set of
# alternatives, without versions and architecture qualifiers.
deb_depends() {
	local deb
	for deb in "$@"; do
		dpkg-deb -f "$deb" Depends
	done | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:.*//; s/[[:space:]]//g' | grep -v '^$' | LC_ALL=C sort -u
}

depends=$(deb_depends "$DEB_SERVER" "$DEB_CLIENT")
[ -n "$depends" ] || fail "dpkg-deb -f $DEB_SERVER Depends is empty"
# systemd as PID 1, dig and ss for the checks, and what the .debs need: the container has
# no network to fetch anything later.
include=$(printf '%s\n' systemd systemd-sysv dbus iproute2 dnsutils $depends | LC_ALL=C sort -u | paste -sd, -)
SYS_LOGS+=("$SYS_TMP/debootstrap.log")
note "debootstrap --variant=minbase --include=$include $SUITE $MIRROR"
start=$(date +%s)
debootstrap --variant=minbase --include="$include" "$SUITE" "$CT_ROOT" "$MIRROR" \
	>"$SYS_TMP/debootstrap.log" 2>&1 || fail "debootstrap of $SUITE from $MIRROR failed"
note "debootstrap: $(( $(date +%s) - start )) s"

# What the operator brings: the .debs, and a zone for step 4. /root, since the container
# mounts a fresh /tmp.
mkdir -p "$CT_ROOT/root/debs" && cp "$DEB_SERVER" "$DEB_CLIENT" "$CT_ROOT/root/debs/" ||
	fail "cannot copy the .debs into $CT_ROOT/root/debs"
ct_server_deb=/root/debs/$(basename "$DEB_SERVER")
ct_client_deb=/root/debs/$(basename "$DEB_CLIENT")
cat >"$CT_ROOT/root/added.test.zone" <<'ZONE'
$ORIGIN added.test.
$TTL 300
@    IN SOA ns hostmaster 1 3600 600 86400 300
     IN NS  ns
ns   IN A   192.0.2.53
www  IN A   192.0.2.54
ZONE

start=$(date +%s)
ct_start
note "the container booted in $(( $(date +%s) - start )) s (PID 1 is $CT_PID on the host)"

www_a=$(zone_rdata "$top_srcdir/zones/example.com.zone" www A)
www_aaaa=$(zone_rdata "$top_srcdir/zones/example.com.zone" www AAAA)
[ -n "$www_a" ] && [ -n "$www_aaaa" ] || fail "no www A and AAAA in zones/example.com.zone"
# The four sockets of dualnsd.socket: UDP and TCP port 53 on 0.0.0.0 and [::].
sockets=$(printf '%s\n' "tcp 0.0.0.0:53" "tcp [::]:53" "udp 0.0.0.0:53" "udp [::]:53" | LC_ALL=C sort)

# ---------------------------------------------------------------- 1. install

step "1: dpkg -i the .debs; systemctl enable --now dualnsd.socket"
out=$(in_ct dpkg -i "$ct_server_deb" "$ct_client_deb" 2>&1)
status=$?
printf '%s\n' "$out" >"$SYS_TMP/dpkg.log"
SYS_LOGS+=("$SYS_TMP/dpkg.log")
[ "$status" -eq 0 ] || fail "dpkg -i $ct_server_deb $ct_client_deb failed (status $status)"
ok "dpkg -i dualns dualq: exit 0"
expect_eq "the user dualns exists" "$(in_ct getent passwd dualns | cut -d: -f1)" dualns
out=$(in_ct systemctl enable --now dualnsd.socket 2>&1)
expect_eq "systemctl enable --now dualnsd.socket: exit 0" "$?" 0
expect_eq "dualnsd.socket is enabled" "$(in_ct systemctl is-enabled dualnsd.socket 2>&1)" enabled
expect_eq "dualnsd.socket is active" "$(unit_active dualnsd.socket)" active
# The package enables the service for boot (dualnsd.service, [Install]) and its postinst
# starts it, once the user exists.
expect_eq "dualnsd.service is enabled (it starts at boot)" "$(in_ct systemctl is-enabled dualnsd.service 2>&1)" enabled
expect_eq "dualnsd.service was started by the postinst" "$(unit_active dualnsd.service)" active
expect_eq "... and told systemd it serves the 2 example zones (READY=1, STATUS=)" \
	"$(unit_prop dualnsd.service StatusText)" "serving 2 zones"
expect_eq "dualnsd.socket listens on UDP and TCP port 53 on 0.0.0.0 and [::]" "$(port53)" "$sockets"

# Stopped, the service leaves the sockets with systemd: the next query starts it (step 3).
out=$(in_ct systemctl stop dualnsd.service 2>&1)
expect_eq "systemctl stop dualnsd.service: exit 0" "$?" 0
expect_eq "dualnsd.service is inactive" "$(unit_active dualnsd.service)" inactive
expect_eq "dualnsd.socket stays active" "$(unit_active dualnsd.socket)" active
expect_eq "no dualnsd process runs" "$(dualnsd_pids)" ""
expect_eq "systemd alone holds the four sockets" "$(port53 users)" "$(printf '%s\n' "$sockets" | sed 's/$/ systemd/')"

# ---------------------------------------------------------------- 2. queries

step "2: dig over UDP and TCP, on 127.0.0.1 and ::1, port 53"
expect_eq "UDP 127.0.0.1: www.example.com A (the first query: it starts dualnsd)" \
	"$(ask 127.0.0.1 www.example.com A +notcp +ignore)" "NOERROR aa=1 UDP A $www_a"
expect_eq "TCP 127.0.0.1: www.example.com A" "$(ask 127.0.0.1 www.example.com A +tcp)" "NOERROR aa=1 TCP A $www_a"
expect_eq "UDP ::1: www.example.com AAAA" "$(ask ::1 www.example.com AAAA +notcp +ignore)" \
	"NOERROR aa=1 UDP AAAA $www_aaaa"
expect_eq "TCP ::1: www.example.com AAAA" "$(ask ::1 www.example.com AAAA +tcp)" "NOERROR aa=1 TCP AAAA $www_aaaa"
expect_eq "UDP ::1: example.net SOA (the second example zone)" \
	"$(ask ::1 example.net SOA +notcp | cut -d' ' -f1-4)" "NOERROR aa=1 UDP SOA"
# tests/conformance.md, "Truncation": TC over UDP, then the whole answer over TCP on the
# same port, both through the sockets systemd passed.
out=$(in_ct dig -r @127.0.0.1 -p 53 +tries=1 +time="$DIG_SECONDS" +ignore big.example.com TXT 2>&1)
expect_eq "UDP 127.0.0.1: big.example.com TXT is truncated (RFC 2181 section 9)" \
	"$(dig_flag "$out" tc) $(dig_count "$out" ANSWER)" "1 0"
out=$(in_ct dig -r @127.0.0.1 -p 53 +tries=1 +time="$DIG_SECONDS" big.example.com TXT 2>&1)
expect_eq "dig retries big.example.com TXT over TCP on port 53 and gets 40 records (RFC 7766 section 5)" \
	"$(printf '%s\n' "$out" | sed -n 's/^;; SERVER: .*(\(UDP\|TCP\))$/\1/p') $(dig_count "$out" ANSWER)" "TCP 40"

# ---------------------------------------------------------------- 3. the service

step "3: the socket started the service; it runs as dualns with CAP_NET_BIND_SERVICE only"
expect_eq "dualnsd.service is active after the first query" "$(unit_active dualnsd.service)" active
expect_eq "dualnsd.service is triggered by dualnsd.socket" "$(unit_prop dualnsd.service TriggeredBy)" dualnsd.socket
expect_eq "dualnsd told systemd it serves the 2 example zones" "$(unit_prop dualnsd.service StatusText)" "serving 2 zones"
expect_eq "dualnsd serves the sockets systemd holds, and binds none of its own" "$(port53 users)" \
	"$(printf '%s\n' "$sockets" | sed 's/$/ dualnsd systemd/')"
pid=$(unit_prop dualnsd.service MainPID)
expect_eq "the main process is the only dualnsd" "$(dualnsd_pids)" "$pid"
status=$(in_ct cat "/proc/$pid/status" 2>&1)
field() {
	printf '%s\n' "$status" | sed -n "s/^$1:[[:space:]]*//p" | tr -s '\t ' '  '
}
uid=$(in_ct id -u dualns)
gid=$(in_ct id -g dualns)
expect_eq "the main process is dualnsd" "$(field Name)" dualnsd
expect_eq "it runs as dualns: real, effective, saved and file system uid $uid" "$(field Uid)" "$uid $uid $uid $uid"
expect_eq "... and gid $gid" "$(field Gid)" "$gid $gid $gid $gid"
expect_nomatch "... and has no supplementary group root" "$(field Groups)" '(^| )0( |$)'
for set in CapEff CapPrm CapBnd CapAmb; do
	expect_eq "$set holds CAP_NET_BIND_SERVICE (bit $CAP_NET_BIND_SERVICE_BIT) and nothing else" \
		"$(cap_bits "$(field "$set")")" "$CAP_NET_BIND_SERVICE_BIT"
done
expect_eq "NoNewPrivs is set" "$(field NoNewPrivs)" 1
expect_match "the journal says dualnsd serves the sockets from systemd" \
	"$(in_ct journalctl -u dualnsd.service -n 20 --no-pager -o cat 2>&1)" 'serving .* port 53 .*from systemd'

# ---------------------------------------------------------------- 4. reload

step "4: systemctl reload dualnsd serves a zone file added to /etc/dualns/zones"
expect_eq "added.test is not served yet: REFUSED" "$(ask 127.0.0.1 www.added.test A +notcp)" "REFUSED aa=0 UDP"
in_ct install -m 0644 /root/added.test.zone /etc/dualns/zones/added.test.zone
out=$(in_ct runuser -u dualns -- dualnsd --check 2>&1)
expect_eq "dualnsd --check as dualns: exit 0" "$?" 0
expect_match "... and it names /etc/dualns/zones/added.test.zone" "$out" '^added\.test\.: /etc/dualns/zones/added\.test\.zone: .*: ok$'
out=$(in_ct systemctl reload dualnsd 2>&1)
expect_eq "systemctl reload dualnsd: exit 0" "$?" 0
wait_for 10 answers_soa added.test
expect_eq "after the reload www.added.test A is served" "$(ask 127.0.0.1 www.added.test A +notcp)" "NOERROR aa=1 UDP A 192.0.2.54"
expect_eq "the reload kept the process (MainPID $pid)" "$(unit_prop dualnsd.service MainPID)" "$pid"
expect_eq "dualnsd.service is active" "$(unit_active dualnsd.service)" active

# ---------------------------------------------------------------- 5. stop and start

step "5: systemctl stop dualnsd.service dualnsd.socket is clean; start the socket, a query starts the service"
out=$(in_ct systemctl stop dualnsd.service dualnsd.socket 2>&1)
expect_eq "systemctl stop dualnsd.service dualnsd.socket: exit 0" "$?" 0
for unit in dualnsd.service dualnsd.socket; do
	expect_eq "$unit is inactive, not failed" "$(in_ct systemctl is-failed "$unit" 2>&1)" inactive
	expect_eq "$unit: Result=success" "$(unit_prop "$unit" Result)" success
done
# ExecMainCode 1 is CLD_EXITED: dualnsd exited by itself on SIGTERM, with status 0.
expect_eq "dualnsd exited with status 0 (ExecMainCode=1 ExecMainStatus=0)" \
	"$(unit_prop dualnsd.service ExecMainCode) $(unit_prop dualnsd.service ExecMainStatus)" "1 0"
expect_eq "no dualnsd process runs" "$(dualnsd_pids)" ""
expect_eq "nothing listens on port 53" "$(port53)" ""
out=$(in_ct systemctl start dualnsd.socket 2>&1)
expect_eq "systemctl start dualnsd.socket: exit 0" "$?" 0
expect_eq "dualnsd.service is still inactive" "$(unit_active dualnsd.service)" inactive
expect_eq "dualnsd.socket listens on UDP and TCP port 53 on 0.0.0.0 and [::] again" "$(port53)" "$sockets"
# Started afresh, dualnsd serves /etc/dualns/zones, which now has a zone (dualnsd(8), ZONES).
expect_eq "UDP 127.0.0.1: www.added.test A starts dualnsd and is answered" \
	"$(ask 127.0.0.1 www.added.test A +notcp)" "NOERROR aa=1 UDP A 192.0.2.54"
expect_eq "TCP ::1: www.added.test A" "$(ask ::1 www.added.test A +tcp)" "NOERROR aa=1 TCP A 192.0.2.54"
expect_eq "dualnsd.service is active again" "$(unit_active dualnsd.service)" active

# ---------------------------------------------------------------- 6. upgrade

step "6: dpkg -i the same .debs again keeps the socket active and serving"
socket_since=$(unit_prop dualnsd.socket ActiveEnterTimestampMonotonic)
pid=$(unit_prop dualnsd.service MainPID)
out=$(in_ct dpkg -i "$ct_server_deb" "$ct_client_deb" 2>&1)
status=$?
printf '%s\n' "$out" >>"$SYS_TMP/dpkg.log"
expect_eq "dpkg -i again: exit 0" "$status" 0
expect_eq "dualnsd.socket is active" "$(unit_active dualnsd.socket)" active
expect_eq "dualnsd.socket was not restarted (same ActiveEnterTimestampMonotonic)" \
	"$(unit_prop dualnsd.socket ActiveEnterTimestampMonotonic)" "$socket_since"
expect_eq "dualnsd.service is active" "$(unit_active dualnsd.service)" active
expect_ne "dualnsd.service was restarted: the new dualnsd runs (MainPID was $pid)" \
	"$(unit_prop dualnsd.service MainPID)" "$pid"
expect_eq "UDP 127.0.0.1: www.added.test A" "$(ask 127.0.0.1 www.added.test A +notcp)" "NOERROR aa=1 UDP A 192.0.2.54"
expect_eq "TCP ::1: www.added.test A" "$(ask ::1 www.added.test A +tcp)" "NOERROR aa=1 TCP A 192.0.2.54"

# ---------------------------------------------------------------- 7. purge

step "7: dpkg --purge dualns removes the units"
out=$(in_ct dpkg --purge dualns 2>&1)
status=$?
printf '%s\n' "$out" >>"$SYS_TMP/dpkg.log"
expect_eq "dpkg --purge dualns: exit 0" "$status" 0
for f in /lib/systemd/system/dualnsd.service /lib/systemd/system/dualnsd.socket /usr/sbin/dualnsd /usr/share/dualns; do
	expect_eq "$f is gone" "$(in_ct sh -c "test -e $f && echo present || echo gone")" gone
done
# dpkg removes what it installed; the zone the operator added stays, and so its folder.
expect_eq "/etc/dualns/zones keeps the operator's zone and nothing else" \
	"$(in_ct ls -A /etc/dualns/zones 2>&1)" added.test.zone
expect_eq "systemctl list-unit-files shows no dualnsd unit" \
	"$(in_ct systemctl list-unit-files --no-legend 'dualnsd*' 2>&1)" ""
expect_eq "no unit is enabled: no dualnsd link in /etc/systemd/system" \
	"$(in_ct find /etc/systemd/system -name 'dualnsd*' 2>&1)" ""
expect_eq "systemd has no dualnsd unit loaded" "$(in_ct systemctl list-units --all --no-legend 'dualnsd*' 2>&1)" ""
expect_eq "no dualnsd process runs" "$(dualnsd_pids)" ""
expect_eq "nothing listens on port 53" "$(port53)" ""
out=$(in_ct dpkg --purge dualq 2>&1)
expect_eq "dpkg --purge dualq: exit 0" "$?" 0
step_end
