#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/package/deb.sh: build the .debs with contrib/debian/build.sh, install them with dpkg, check what landed, purge them.
#
# Slow (a whole package build) and it installs for real, as root: it runs only when asked,
# with DUALNS_TEST_PACKAGE=1, or in CI (CI=true, a fresh machine). It never replaces an
# installed dualns or dualq, keeps services from starting while it installs (policy-rc.d),
# and purges what it installed, and the user dualns if it created it, on the way out.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

need_package_opt_in "builds and installs the .debs, about a minute"
need_deb_build
[ "$(id -u)" = 0 ] || skip "dpkg -i needs root"
for pkg in dualns dualq; do
	if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'installed'; then
		skip "a $pkg package is installed on this machine: not replacing it"
	fi
done
# Under a running systemd, the postinst starts dualnsd.socket (port 53). The policy-rc.d
# hook stops that, but only if it is ours: with someone else's, do not risk it.
policy=/usr/sbin/policy-rc.d
if [ -e "$policy" ] && [ -d /run/systemd/system ]; then
	skip "$policy exists and systemd runs: installing could start dualnsd on port 53"
fi

added_policy=
user_existed=$(getent passwd dualns >/dev/null && echo yes)
group_existed=$(getent group dualns >/dev/null && echo yes)
installed=

pkg_cleanup() {
	if [ -n "$installed" ]; then
		rm -f /etc/dualns/zones/local.zone
		dpkg --purge dualns dualq >>"$SYS_TMP/dpkg.log" 2>&1 || echo "# dpkg --purge failed: see $SYS_TMP/dpkg.log"
	fi
	[ -n "$added_policy" ] && rm -f "$policy"
	# Debian keeps system users on purge (files may still be theirs); a test machine does not
	# need the one this test made.
	if [ -z "$user_existed" ] && getent passwd dualns >/dev/null; then
		userdel dualns 2>/dev/null
	fi
	if [ -z "$group_existed" ] && getent group dualns >/dev/null; then
		groupdel dualns 2>/dev/null
	fi
}
# On exit, once the processes are stopped and a failed test's logs printed.
on_exit pkg_cleanup

# ---- build (or the .debs another package test built from the same sources)
SYS_LOGS+=("$SYS_TMP/dpkg.log")
deb_build
version=$DEB_VERSION
server_deb=$DEB_SERVER
client_deb=$DEB_CLIENT

# ---- install
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# tests/package/deb.sh: no service starts while the test installs dualns\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	added_policy=1
fi
start=$(date +%s)
installed=1
dpkg -i "$server_deb" "$client_deb" >>"$SYS_TMP/dpkg.log" 2>&1 || fail "dpkg -i failed"
note "dpkg -i: $(( $(date +%s) - start )) s"
expect_eq "dpkg says dualns is installed" "$(dpkg-query -W -f='${Status}' dualns)" "install ok installed"
expect_eq "dpkg says dualq is installed" "$(dpkg-query -W -f='${Status}' dualq)" "install ok installed"

# ---- files: where Debian puts them (FHS; units in /lib/systemd/system on bookworm)
listed() {
	if dpkg -L "$1" | grep -qxF -- "$2"; then echo yes; else echo no; fi
}
for f in /usr/sbin/dualnsd /lib/systemd/system/dualnsd.service /lib/systemd/system/dualnsd.socket \
	/usr/share/dualns/zones/example.com.zone /usr/share/dualns/zones/example.com.big.inc \
	/usr/share/dualns/zones/example.net.zone /etc/dualns/zones /usr/share/doc/dualns/copyright; do
	expect_eq "dpkg -L dualns lists $f" "$(listed dualns "$f")" yes
	expect_eq "$f exists" "$(test -e "$f" && echo yes)" yes
done
for f in /usr/bin/dualq /usr/share/doc/dualq/copyright; do
	expect_eq "dpkg -L dualq lists $f" "$(listed dualq "$f")" yes
done
# Docker-style images drop /usr/share/man with a dpkg path-exclude; then there is nothing to find.
if grep -qs '^path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
	note "dpkg excludes /usr/share/man on this machine: the manual pages are not checked"
else
	expect_eq "dpkg -L dualns lists dualnsd.8.gz" "$(listed dualns /usr/share/man/man8/dualnsd.8.gz)" yes
	expect_eq "dpkg -L dualns lists dualnsd.conf.5.gz" "$(listed dualns /usr/share/man/man5/dualnsd.conf.5.gz)" yes
	expect_eq "dpkg -L dualq lists dualq.1.gz" "$(listed dualq /usr/share/man/man1/dualq.1.gz)" yes
	if command -v man >/dev/null 2>&1; then
		expect_eq "man -w dualnsd finds the page" "$(man -w dualnsd 2>&1)" /usr/share/man/man8/dualnsd.8.gz
		expect_eq "man -w dualq finds the page" "$(man -w dualq 2>&1)" /usr/share/man/man1/dualq.1.gz
	fi
fi
expect_match "dualns's one conffile is the commented /etc/dualns/dualnsd.conf" \
	"$(dpkg-query -W -f='${Conffiles}' dualns | tr '\n' ' ')" '^ */etc/dualns/dualnsd\.conf [0-9a-f]+ *$'
expect_eq "the packaged dualnsd.conf loads" "$(dualnsd --check 2>&1 >/dev/null | grep -c dualnsd.conf)" 0
expect_eq "/etc/dualns/zones ships empty" "$(ls -A /etc/dualns/zones)" ""
expect_eq "/usr/bin/dualq is not in the server package" "$(listed dualns /usr/bin/dualq)" no
expect_eq "/usr/sbin/dualnsd is not in the client package" "$(listed dualq /usr/sbin/dualnsd)" no

# ---- the user the service runs as
IFS=: read -r _ _ uid gid _ home shell <<<"$(getent passwd dualns)"
expect_ne "the user dualns exists" "$uid" ""
expect_eq "dualns is a system user (uid under 1000)" "$([ "${uid:-1000}" -lt 1000 ] && echo yes)" yes
expect_eq "dualns has the group dualns" "$(getent group dualns | cut -d: -f3)" "$gid"
expect_eq "dualns has no home" "$home" /nonexistent
expect_match "dualns has no login shell" "$shell" '(nologin|false)$'

# ---- the installed server: which zones it serves without arguments
out=$(/usr/sbin/dualnsd --check 2>&1)
expect_eq "dualnsd --check with no arguments: exit 0" "$?" 0
expect_match "with /etc/dualns/zones empty it serves /usr/share/dualns/zones" "$out" \
	'checking the zones in /usr/share/dualns/zones$'
expect_match "it loads /usr/share/dualns/zones/example.com.zone" "$out" \
	'^example\.com\.: /usr/share/dualns/zones/example\.com\.zone: .*: ok$'
expect_match "it loads /usr/share/dualns/zones/example.net.zone" "$out" \
	'^example\.net\.: /usr/share/dualns/zones/example\.net\.zone: .*: ok$'
# As the service's user: the zones must be readable by dualns, not just by root.
if command -v runuser >/dev/null 2>&1; then
	runuser -u dualns -- /usr/sbin/dualnsd --check >/dev/null 2>&1
	expect_eq "dualnsd --check as the user dualns: exit 0" "$?" 0
fi

# One zone in /etc/dualns/zones replaces the examples.
sed 's/example\.net\./example.org./g' "$top_srcdir/zones/example.net.zone" >/etc/dualns/zones/local.zone
out=$(/usr/sbin/dualnsd --check 2>&1)
expect_match "with a zone in /etc/dualns/zones it serves that folder" "$out" \
	'checking the zones in /etc/dualns/zones$'
expect_match "it loads /etc/dualns/zones/local.zone" "$out" '^example\.org\.: /etc/dualns/zones/local\.zone: .*: ok$'
expect_nomatch "it no longer loads the examples" "$out" '/usr/share/dualns'
rm -f /etc/dualns/zones/local.zone

expect_eq "dualnsd --version is the package's upstream version" \
	"$(/usr/sbin/dualnsd --version | awk '{print $NF}')" "${version%-*}"

# The installed programs work together: dualnsd serves the examples, dualq asks it.
DUALNSD=/usr/sbin/dualnsd
start_dualnsd
out=$(/usr/bin/dualq @127.0.0.1 -p "$PORT" +short www.example.com A 2>&1)
expect_eq "the installed dualq gets www.example.com A from the installed dualnsd: exit 0" "$?" 0
expect_match "the answer is the example zone's address" "$out" '^[0-9.]+$'
stop_dualnsd

# The installed units verify with the installed binary and manual page.
if command -v systemd-analyze >/dev/null 2>&1; then
	out=$(SYSTEMD_LOG_COLOR=0 systemd-analyze verify /lib/systemd/system/dualnsd.socket \
		/lib/systemd/system/dualnsd.service 2>&1)
	expect_eq "systemd-analyze verify on the installed units: exit 0, no output" "$?:$out" "0:"
fi

# ---- purge: nothing left behind but the user (Debian keeps system users)
start=$(date +%s)
dpkg --purge dualns dualq >>"$SYS_TMP/dpkg.log" 2>&1 || bad "dpkg --purge dualns dualq failed"
installed=
note "dpkg --purge: $(( $(date +%s) - start )) s"
for f in /usr/sbin/dualnsd /usr/bin/dualq /etc/dualns /usr/share/dualns /lib/systemd/system/dualnsd.service \
	/lib/systemd/system/dualnsd.socket; do
	expect_eq "purged: $f is gone" "$(test -e "$f" && echo present || echo gone)" gone
done
