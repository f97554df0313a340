# SPDX-License-Identifier: BSD-3-Clause
# contrib/demo/common.sh: shared helpers for the port demonstrations (sourced, not run; bash).
# Finds dualnsd and dualq in the build tree (or $DUALNSD, $DUALQ, $PATH), and on top of
# tests/lib/common.sh (free ports, starting dualnsd, stopping everything on exit) prints
# each step the way the demonstrations show it.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/lib/common.sh" || exit 1

find_prog() {
	for p in "$@"; do
		[ -n "$p" ] && [ -x "$p" ] && { echo "$p"; return 0; }
	done
	return 1
}
DUALQ=$(find_prog "$DUALQ" "$top/src/client/dualq" "$(command -v dualq 2>/dev/null)") ||
	{ echo "dualq not found: build it (make) or set DUALQ" >&2; exit 1; }
DUALNSD=$(find_prog "$DUALNSD" "$top/src/dualnsd" "$(command -v dualnsd 2>/dev/null)") || DUALNSD=""
ZONE=${ZONE:-$top/zones/example.com.zone}
command -v "$PYTHON3" >/dev/null 2>&1 || { echo "python3 is needed for the socket experiments" >&2; exit 1; }

new_tmpdir demo_tmp "${TMPDIR:-/tmp}" dualns-demo || exit 1

say() { printf '\n### %s\n' "$*"; }
note() { printf '    %s\n' "$@"; }
run() {
	printf '$ %s\n' "$*"
	"$@"
}
# The transport trace and verdicts only: dualq's output up to the first blank line.
trace() {
	printf '$ %s\n' "dualq $*"
	"$DUALQ" "$@" | sed '/^$/,$d'
}

# need_dualnsd: stop with a message when there is no dualnsd to run.
need_dualnsd() {
	[ -n "$DUALNSD" ] || { echo "dualnsd not found: build it (make) or set DUALNSD" >&2; exit 1; }
}

# start_dualnsd PORT [OPTIONS...]: dualnsd on 127.0.0.1 PORT serving $ZONE (dualnsd_start),
# its serving line shown; sets dualnsd_pid.
start_dualnsd() {
	need_dualnsd
	local port=$1
	shift
	if ! dualnsd_start "$port" "$demo_tmp/dualnsd.log" "$@" "$ZONE"; then
		cat "$demo_tmp/dualnsd.log" >&2
		echo "dualnsd did not start" >&2
		exit 1
	fi
	dualnsd_pid=$DUALNSD_PID
	sed 's/^/    /' "$demo_tmp/dualnsd.log"
}

stop_dualnsd() {
	stop_pid "$dualnsd_pid"
}
