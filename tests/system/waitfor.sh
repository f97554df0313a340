#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# waitfor.sh: wait_for (tests/lib/common.sh), which every test waits with, polls until its
# condition holds or its deadline passes, says on stderr what it waited for when the
# deadline passes, and says so too when it needed over half the deadline. Runs no server.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

err="$SYS_TMP/wait.err"

# A condition that holds at once: 0, and nothing on stderr.
wait_for 5 true 2>"$err"
expect_eq "a condition that holds at once: 0" "$?" 0
expect_eq "... and nothing said" "$(cat "$err")" ""

# A condition that holds after 0.6 s, waited for up to 1 s: 0, and the line that says the
# wait took over half its deadline (how long, of what, for which condition).
ready_at=$(( $(now_us) + 600000 ))
late() {
	[ "$(now_us)" -ge "$ready_at" ]
}
wait_for 1 late 2>"$err"
expect_eq "a condition that holds after 0.6 s of 1: 0" "$?" 0
expect_match "... and the wait says it took over half its deadline" "$(cat "$err")" \
	'^# wait_for: true after [0-9]+ ms of 1 s: late$'
took=$(sed -E 's/.* after ([0-9]+) ms.*/\1/' "$err")
expect_ge "... at least the 600 ms it took" "${took:-0}" 600

# A condition that holds after a quarter of the deadline: nothing said.
ready_at=$(( $(now_us) + 500000 ))
wait_for 4 late 2>"$err"
expect_eq "a condition that holds after 0.5 s of 4: 0" "$?" 0
expect_eq "... and nothing said" "$(cat "$err")" ""

# A condition that never holds: 1, and the line that names it, after the deadline.
start=$(now_us)
wait_for 0.3 false 2>"$err"
expect_eq "a condition that never holds: 1" "$?" 1
expect_ge "... after the deadline" $(( ($(now_us) - start) / 1000 )) 300
expect_eq "... and the line that names it" "$(cat "$err")" "# wait_for: not true after 0.3 s: false"
