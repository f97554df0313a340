# tests/sysd/local.mk: systemd socket activation and notify, and dropping privileges (-u, --chroot).
# Each test sources tests/system/lib.sh and tests/sysd/common.sh, runs dualnsd on free
# ports on 127.0.0.1 and writes only under $(top_builddir).
EXTRA_DIST += \
	tests/sysd/common.sh \
	tests/sysd/activate.py \
	tests/sysd/notifyd.py

TESTS += tests/sysd/activation.sh
EXTRA_DIST += tests/sysd/activation.sh
TESTS += tests/sysd/privileges.sh
EXTRA_DIST += tests/sysd/privileges.sh
