#!/bin/bash
# contrib/quickstart.sh: from a fresh Debian 12 checkout to a running dualnsd or a test run.
#
#   contrib/quickstart.sh serve [DUALNSD-ARGS...]   build, then serve the bundled zones
#   contrib/quickstart.sh test                      build, then run make check
#
# It installs what is missing with apt-get when run as root (otherwise it prints the
# apt-get command and stops), runs autoreconf -fi, ./configure and make, then serves or
# tests. `serve` listens on 127.0.0.1, on port 53 when it can bind it there (UDP and TCP),
# else on 5353, and says which. Extra arguments go to dualnsd (for example -l 0.0.0.0).
# SPDX-License-Identifier: BSD-3-Clause
set -euo pipefail

BUILD_PKGS=(build-essential autoconf automake libtool pkg-config libldns-dev libssl-dev libsodium-dev libyaml-dev libev-dev libjansson-dev libcmocka-dev libsystemd-dev libxdp-dev libbpf-dev clang)
# debhelper and fakeroot: tests/package/deb.sh and nspawn.sh build the .debs (in CI, or
# with DUALNS_TEST_PACKAGE=1); without them they skip.
TEST_PKGS=(dnsutils knot-dnsutils nsd knot bind9 iproute2 python3 python3-dnspython ldnsutils debhelper fakeroot valgrind strace ethtool)
# tests/package/nspawn.sh boots the .debs in a Debian container: a container manager and
# debootstrap, installed only when the package tests run (CI=true or DUALNS_TEST_PACKAGE=1).
PACKAGE_TEST_PKGS=(systemd-container debootstrap)
# Reference servers installed for the tests only: they must not start on port 53.
SERVICE_PKGS=(nsd knot bind9)

say() { printf 'quickstart: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
	sed -n '2,11s/^# \{0,1\}//p' "$0"
	exit "${1:-0}"
}

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# missing PKG...: print the packages that dpkg does not list as installed.
missing() {
	local pkg
	for pkg in "$@"; do
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
			echo "$pkg"
		fi
	done
}

# install PKG...: apt-get install what is missing (root), or say what to run (not root).
install() {
	local todo
	mapfile -t todo < <(missing "$@")
	[ "${#todo[@]}" -eq 0 ] && return 0
	command -v apt-get >/dev/null 2>&1 || die "not a Debian system: install ${todo[*]} (or their equivalents) yourself"
	if [ "$(id -u)" -ne 0 ]; then
		say "missing packages: ${todo[*]}"
		say "run as root:  apt-get install -y ${todo[*]}"
		say "then run $0 again"
		exit 1
	fi
	say "installing: ${todo[*]}"
	# NSD and Knot would start on port 53 from their maintainer scripts: keep services from
	# starting during the install with the standard policy-rc.d hook (invoke-rc.d honours it),
	# unless the system already has one.
	local policy=/usr/sbin/policy-rc.d added_policy=
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\n# quickstart.sh: no service starts during this install\nexit 101\n' >"$policy"
		chmod 755 "$policy"
		added_policy=1
	fi
	local rc=0
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -q && apt-get install -y -q --no-install-recommends "${todo[@]}"; } || rc=$?
	[ -n "$added_policy" ] && rm -f "$policy"
	[ "$rc" -eq 0 ] || die "apt-get failed (status $rc)"
	# Under systemd, also keep the reference servers we just installed from starting at boot.
	local pkg
	if [ -d /run/systemd/system ]; then
		for pkg in "${todo[@]}"; do
			case " ${SERVICE_PKGS[*]} " in
			*" $pkg "*)
				say "disabling the $pkg service: it is installed for the tests, not to serve port 53"
				# bind9's unit is named.service (bind9.service is only its alias).
				systemctl disable --now "${pkg/#bind9/named}.service" >/dev/null 2>&1 || true
				;;
			esac
		done
	fi
}

build() {
	if [ ! -f Makefile ]; then
		say "autoreconf -fi && ./configure"
		autoreconf -fi
		local extra=()
		# CI builds treat warnings as errors.
		[ "${CI:-}" = true ] && extra+=(--enable-werror)
		./configure "${extra[@]}"
	fi
	say "make"
	make -j"$(nproc 2>/dev/null || echo 2)"
}

# can_bind PORT: 0 when both UDP and TCP bind on 127.0.0.1:PORT right now.
can_bind() {
	if command -v python3 >/dev/null 2>&1; then
		python3 - "$1" <<'EOF'
import socket, sys
port = int(sys.argv[1])
try:
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, kind)
        if kind == socket.SOCK_STREAM:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.close()
except OSError:
    sys.exit(1)
EOF
		return
	fi
	# Without python3: a privileged port needs root, and nothing may be listening on it.
	if [ "$1" -lt 1024 ] && [ "$(id -u)" -ne 0 ]; then
		return 1
	fi
	if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Htuln "sport = :$1" 2>/dev/null)" ]; then
		return 1
	fi
	return 0
}

# holder PORT: what listens on PORT, for the message.
holder() {
	command -v ss >/dev/null 2>&1 || return 0
	ss -Htulnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' | sort -u | paste -sd, - | sed 's/,/, /g'
}

serve() {
	install "${BUILD_PKGS[@]}"
	build
	local port=53 who arg
	for arg in "$@"; do
		case $arg in -p | --port | --port=* | -p[0-9]*) port= ;; esac
	done
	local args=()
	if [ -n "$port" ]; then
		if ! can_bind 53; then
			who=$(holder 53)
			if [ -n "$who" ]; then
				say "port 53 is taken by $who: serving on 5353 instead"
				say "(stop it, for example 'systemctl disable --now nsd knot', to get port 53)"
			elif [ "$(id -u)" -ne 0 ]; then
				say "port 53 needs root: serving on 5353 instead"
			else
				say "cannot bind port 53 on 127.0.0.1: serving on 5353 instead"
			fi
			port=5353
		fi
		args+=(-p "$port")
	fi
	local listen=(-l 127.0.0.1)
	for arg in "$@"; do
		case $arg in -l | --listen | --listen=* | -l?*) listen=() ;; esac
	done
	say "serving zones/example.com.zone, zones/example.net.zone and the signed zones/example.org.zone.signed on 127.0.0.1 port ${port:-(as given)}, UDP and TCP"
	say "try:  dig @127.0.0.1 -p ${port:-PORT} www.example.com A"
	say "      dig @127.0.0.1 -p ${port:-PORT} +ignore big.example.com TXT   (TC=1 over UDP)"
	say "      dig @127.0.0.1 -p ${port:-PORT} big.example.com TXT           (falls back to TCP, 40 records)"
	say "      dig @127.0.0.1 -p ${port:-PORT} +dnssec +bufsize=512 +ignore example.org DNSKEY   (TC=1: keys and signatures need more)"
	say "      src/client/dualq -p ${port:-PORT} +dnssec +bufsize=512 @127.0.0.1 example.org DNSKEY   (the retry over TCP)"
	say "stop with Ctrl-C"
	exec src/dualnsd "${args[@]}" "${listen[@]}" "$@" zones/example.com.zone zones/example.net.zone \
		zones/example.org.zone.signed
}

run_tests() {
	local pkgs=("${BUILD_PKGS[@]}" "${TEST_PKGS[@]}")
	if [ "${CI:-}" = true ] || [ "${DUALNS_TEST_PACKAGE:-}" = 1 ]; then
		pkgs+=("${PACKAGE_TEST_PKGS[@]}")
	fi
	install "${pkgs[@]}"
	build
	say "make check"
	if make -j"$(nproc 2>/dev/null || echo 2)" check; then
		say "all tests passed"
		return 0
	fi
	say "tests failed; test-suite.log:"
	cat test-suite.log >&2 || true
	exit 1
}

case ${1:-} in
serve) shift; serve "$@" ;;
test) shift; [ $# -eq 0 ] || usage 2; run_tests ;;
-h | --help | help) usage 0 ;;
*) usage 2 ;;
esac
