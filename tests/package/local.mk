# SPDX-License-Identifier: BSD-3-Clause
# tests/package/local.mk: what gets installed: make install's layout, the manual pages, the
# systemd units, and (slow, opt-in with DUALNS_TEST_PACKAGE=1 or CI=true) the Debian packages
# built with contrib/debian/build.sh: installed with dpkg here (deb.sh) and under a real
# systemd in a Debian container (nspawn.sh).
PACKAGE_TESTS = \
	tests/package/configure.sh \
	tests/package/install.sh \
	tests/package/manpages.sh \
	tests/package/units.sh \
	tests/package/deb.sh \
	tests/package/nspawn.sh
TESTS += $(PACKAGE_TESTS)
EXTRA_DIST += $(PACKAGE_TESTS)

# deb.sh and nspawn.sh share one package build per build tree (deb_build in
# tests/system/lib.sh): the .debs, their build log and the lock.
mostlyclean-local:
	-rm -rf tests/package/debs tests/package/debs.lock
