# contrib/demo/common.sh: shared helpers for the port demonstrations (sourced, not run).
# Finds dualnsd and dualq in the build tree (or $DUALNSD, $DUALQ, $PATH), picks free ports on
# 127.0.0.1, starts dualnsd there and stops everything it started on exit.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
find_prog() {
	for p in "$@"; do
		[ -n "$p" ] && [ -x "$p" ] && { echo "$p"; return 0; }
	done
	return 1
}
DUALQ=$(find_prog "${DUALQ:-}" "$top/src/client/dualq" "$(command -v dualq 2>/dev/null)") ||
	{ echo "dualq not found: build it (make) or set DUALQ" >&2; exit 1; }
DUALNSD=$(find_prog "${DUALNSD:-}" "$top/src/dualnsd" "$(command -v dualnsd 2>/dev/null)") || DUALNSD=""
PYTHON3=${PYTHON3:-$(command -v python3)}
ZONE=${ZONE:-$top/zones/example.com.zone}
[ -n "$PYTHON3" ] || { echo "python3 is needed for the socket experiments" >&2; exit 1; }

demo_tmp=$(mktemp -d "${TMPDIR:-/tmp}/dualns-demo.XXXXXX")
demo_pids=""
demo_cleanup() {
	for p in $demo_pids; do kill "$p" 2>/dev/null; done
	for p in $demo_pids; do wait "$p" 2>/dev/null; done
	rm -rf "$demo_tmp"
}
trap demo_cleanup EXIT
trap 'exit 1' INT TERM

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

# A port number free for both UDP and TCP on 127.0.0.1.
free_port() {
	"$PYTHON3" -c '
import socket
for _ in range(100):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
    p = u.getsockname()[1]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        t.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: t.close(); u.close()'
}

# start_dualnsd PORT [OPTIONS...]: starts dualnsd and waits for its "serving" line.
start_dualnsd() {
	[ -n "$DUALNSD" ] || { echo "dualnsd not found: build it (make) or set DUALNSD" >&2; exit 1; }
	port=$1
	shift
	: >"$demo_tmp/dualnsd.log"
	"$DUALNSD" -p "$port" -l 127.0.0.1 "$@" "$ZONE" 2>>"$demo_tmp/dualnsd.log" &
	dualnsd_pid=$!
	demo_pids="$demo_pids $dualnsd_pid"
	for _ in $(seq 1 50); do
		if grep -q "serving" "$demo_tmp/dualnsd.log"; then
			sed 's/^/    /' "$demo_tmp/dualnsd.log"
			return 0
		fi
		kill -0 "$dualnsd_pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$demo_tmp/dualnsd.log" >&2
	echo "dualnsd did not start" >&2
	exit 1
}

stop_dualnsd() {
	kill "$dualnsd_pid" 2>/dev/null
	wait "$dualnsd_pid" 2>/dev/null
}
