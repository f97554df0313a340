#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# journal.sh: the journal's unit test (tests/unit/test_journal) and journaldiff under
# valgrind's memcheck: a journal keeps copies of what it lists, so reading it after both
# zone versions are freed, and freeing it, is free of memory errors and leaks.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_tool valgrind "apt-get install valgrind"
TEST_JOURNAL="$top_builddir/tests/unit/test_journal"
JOURNALDIFF="$top_builddir/tests/xfr/journaldiff"
[ -x "$TEST_JOURNAL" ] || skip "$TEST_JOURNAL is not built (needs cmocka)"
[ -x "$JOURNALDIFF" ] || fail "$JOURNALDIFF is not built (make check builds it)"
# An ASan build has its own allocator and shadow memory; memcheck cannot run it.
if grep -q __asan_init "$TEST_JOURNAL" 2>/dev/null; then
	skip "built with AddressSanitizer: valgrind cannot run it (the sanitizers check it instead)"
fi
VG=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99)

# test_journal writes its zone files in the current folder.
cd "$(sys_tmpdir)" || fail "no temp folder"
rc=0
"${VG[@]}" --log-file="$SYS_TMP/unit.vg" "$TEST_JOURNAL" >"$SYS_TMP/unit.out" 2>&1 || rc=$?
SYS_LOGS+=("$SYS_TMP/unit.out" "$SYS_TMP/unit.vg")
expect_eq "test_journal under valgrind: passes with no memory error" "$rc" 0

printf '$ORIGIN v.test.\n@ 60 SOA ns h 1 2 3 4 5\n@ 60 NS ns\nns 60 A 192.0.2.1\n' >v1.zone
sed -e 's/ h 1 / h 2 /' -e 's/192.0.2.1/192.0.2.2/' v1.zone >v2.zone
sed -e 's/ h 1 / h 3 /' -e 's/ 60 NS / 30 NS /' v1.zone >v3.zone
rc=0
"${VG[@]}" --log-file="$SYS_TMP/diff.vg" "$JOURNALDIFF" v1.zone v2.zone v3.zone \
	>"$SYS_TMP/diff.out" 2>&1 || rc=$?
SYS_LOGS+=("$SYS_TMP/diff.out" "$SYS_TMP/diff.vg")
expect_eq "journaldiff over three versions under valgrind: no memory error" "$rc" 0
expect_match "journaldiff: the TTL changed from version 1 to 3 is removed" \
	"$(cat "$SYS_TMP/diff.out")" '^removed v\.test\.[[:space:]]+60[[:space:]]+IN[[:space:]]+NS'
exit 0
