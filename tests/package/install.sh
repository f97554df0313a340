#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/package/install.sh: make install puts the programs, manual pages and example zones where dualnsd looks for them.
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

command -v make >/dev/null 2>&1 || skip "make not found"

# The calling make's jobserver and command-line variables stay out of these runs.
submake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$top_builddir" "$@"
}

# var NAME: the value of an installation variable as configure set it in the Makefile.
var() {
	printf 'print-var:\n\t@echo $(%s)\n' "$1" | submake -s -f Makefile -f - print-var
}

sbindir=$(var sbindir)
bindir=$(var bindir)
man1dir=$(var man1dir)
man8dir=$(var man8dir)
man5dir=$(var man5dir)
pkgdatadir=$(var pkgdatadir)
sysconfdir=$(var sysconfdir)
[ -n "$sbindir" ] && [ -n "$pkgdatadir" ] || fail "cannot read the installation folders from $top_builddir/Makefile"

dest=$(sys_tmpdir)/root
log=$SYS_TMP/install.log
SYS_LOGS+=("$log")
submake install DESTDIR="$dest" >"$log" 2>&1 || fail "make install DESTDIR=$dest failed"

expect_eq "dualnsd is installed in sbindir ($sbindir)" "$(test -x "$dest$sbindir/dualnsd" && echo yes)" yes
expect_eq "dualq is installed in bindir ($bindir)" "$(test -x "$dest$bindir/dualq" && echo yes)" yes
expect_eq "dualnsd.8 is installed in man8dir ($man8dir)" "$(test -f "$dest$man8dir/dualnsd.8" && echo yes)" yes
expect_eq "dualnsd.conf.5 is installed in man5dir ($man5dir)" "$(test -f "$dest$man5dir/dualnsd.conf.5" && echo yes)" yes
expect_eq "dualq.1 is installed in man1dir ($man1dir)" "$(test -f "$dest$man1dir/dualq.1" && echo yes)" yes
for f in example.com.zone example.com.big.inc example.net.zone example.org.zone.signed; do
	expect_eq "$f is installed in $pkgdatadir/zones" "$(test -f "$dest$pkgdatadir/zones/$f" && echo yes)" yes
done

# The folders compiled into dualnsd are the ones make install fills: --help names them.
help=$("$dest$sbindir/dualnsd" --help)
expect_match "dualnsd --help names the operator's folder $sysconfdir/dualns/zones" "$help" \
	"files in $sysconfdir/dualns/zones,"
expect_match "dualnsd --help names the default configuration file $sysconfdir/dualns/dualnsd.conf" \
	"$help" "^ +$sysconfdir/dualns/dualnsd\.conf\)$"
expect_match "dualnsd --help names the installed examples in $pkgdatadir/zones" "$help" \
	"example zones in $pkgdatadir/zones\\."

# The installed zones load as installed: the .inc that example.com's $INCLUDE names sits
# beside it.
out=$("$dest$sbindir/dualnsd" --check "$dest$pkgdatadir/zones/example.com.zone" \
	"$dest$pkgdatadir/zones/example.net.zone" 2>&1)
expect_eq "the installed dualnsd --check loads the installed example zones: exit 0" "$?" 0
expect_match "the installed example.com loads with its \$INCLUDE (81 records)" "$out" \
	'^example\.com\.: .*: serial [0-9]+, 81 records'

submake uninstall DESTDIR="$dest" >>"$log" 2>&1 || fail "make uninstall DESTDIR=$dest failed"
expect_eq "make uninstall removes every installed file" "$(find "$dest" -type f | head -n 3)" ""
