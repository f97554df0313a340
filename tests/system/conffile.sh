#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# conffile.sh: the configuration file (dualnsd.conf(5)): zones, port and listen from it,
# the command line winning over it, --check -c with good and broken files, SIGHUP with a
# broken file (the old configuration keeps answering, the position is logged) and with a
# zone added, --chroot (the file read at start only), the packaged example, and
# key/remote/acl/zone sections Knot accepts too.
. "${top_srcdir:?run the system tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"

# The zones the files name, in zones/ beside them, and one for the command line.
D=$(sys_tmpdir)
mkdir "$D/zones"
for origin in a.test b.test c.test; do
	zone "$D/zones/$origin.zone" "$origin." 1
done
zone "$D/cli.test.zone" cli.test. 1

# conf FILE PORT [ZONE-ITEMS...]: a file with the server's port and listen address, and a
# zone section with a.test and the ORIGINs given (each zones/ORIGIN.zone, relative to
# the file's folder).
conf() {
	local file=$1 port=$2 origin
	shift 2
	{
		printf 'server:\n  port: %s\n  listen: 127.0.0.1\n  udp-size: 1232\n' "$port"
		printf 'zone:\n  - domain: a.test\n    file: zones/a.test.zone\n'
		for origin in "$@"; do
			printf '  - domain: %s\n    file: zones/%s.zone\n' "$origin" "$origin"
		done
	} >"$file.tmp"
	mv "$file.tmp" "$file"
}

# ---- --check -c: the file, then its zones.
conf "$D/good.conf" 53 b.test
out=$("$DUALNSD" --check -c "$D/good.conf" 2>&1)
expect_eq "--check -c a good file: exit 0" "$?" 0
expect_match "--check -c: the file's zone a.test, relative to the file's folder" "$out" \
	"^a\.test\.: $D/zones/a\.test\.zone: .*: ok$"
expect_match "--check -c: the file's zone b.test" "$out" "^b\.test\.: .*: ok$"

printf 'zone:\n  domain: a.test\n  file: zones/a.test.zone\n  acl: xfr\n' >"$D/bad.conf"
out=$("$DUALNSD" --check -c "$D/bad.conf" 2>&1)
expect_eq "--check -c with an undefined acl: exit 1" "$?" 1
expect_eq "--check -c: one line at the reference, FILE:LINE:COL" "$out" \
	"dualnsd: $D/bad.conf:4:8: undefined acl 'xfr'"

printf 'server:\n  port: 0\n' >"$D/range.conf"
out=$("$DUALNSD" --check -c "$D/range.conf" 2>&1)
expect_eq "--check -c with port 0: exit 1" "$?" 1
expect_eq "--check -c: the command line's range message at the value" "$out" \
	"dualnsd: $D/range.conf:2:9: --port: '0' is not a number from 1 to 65535"

printf 'zone:\n  - domain: a.test\n    file: [x\n' >"$D/syntax.conf"
out=$("$DUALNSD" --check -c "$D/syntax.conf" 2>&1)
expect_eq "--check -c with a YAML syntax error: exit 1" "$?" 1
expect_match "--check -c: the syntax error with its position" "$out" "^dualnsd: $D/syntax\.conf:4:1: YAML: "

out=$("$DUALNSD" --check -c "$D/missing.conf" 2>&1)
expect_eq "-c naming a missing file: exit 1" "$?" 1
expect_match "-c naming a missing file: says so" "$out" "$D/missing\.conf: No such file"

# A zone of the file given again on the command line is one origin twice.
out=$("$DUALNSD" --check -c "$D/good.conf" "a.test.=$D/zones/a.test.zone" 2>&1)
expect_eq "--check: an origin in the file and on the command line: exit 1" "$?" 1
expect_match "... and the second is refused" "$out" "a\.test\. is already loaded from another file"

# ---- port and listen from the file: no -p or -l on the command line.
FILE_PORT=$(free_port)
conf "$D/serve.conf" "$FILE_PORT"
LOG="$SYS_TMP/file-port.log"
"$DUALNSD" -c "$D/serve.conf" 2>"$LOG" &
FILE_PID=$!
track_pid "$FILE_PID"
SYS_LOGS+=("$LOG")
wait_for 20 dualnsd_up "$FILE_PID" "$LOG" "$FILE_PORT" || true
expect_match "the file's port and listen address: serving on 127.0.0.1 port $FILE_PORT" \
	"$(cat "$LOG")" "serving 1 zone on 127\.0\.0\.1 port $FILE_PORT \(udp\+tcp\)"
expect_nomatch "... and only there (no ::)" "$(cat "$LOG")" "serving .* on :: "
PORT=$FILE_PORT
expect_eq "the file's zone answers (RFC 1034 section 4.3.2)" "$(status www.a.test)" NOERROR
stop_pid "$FILE_PID"
expect_eq "dualnsd -c stops with status 0 on SIGTERM" "$STOP_STATUS" 0

# ---- the command line wins: -p and -l (start_dualnsd gives them) replace the file's,
# and its zone arguments are served beside the file's zones.
conf "$D/live.conf" "$FILE_PORT"
start_dualnsd -c "$D/live.conf" "$D/cli.test.zone"
expect_ne "the command line's port, not the file's" "$PORT" "$FILE_PORT"
expect_match "serving the file's zone and the command line's" "$(cat "$DUALNSD_LOG")" "serving 2 zones on 127\.0\.0\.1 port $PORT"
expect_eq "the command line's zone answers" "$(status www.cli.test)" NOERROR
expect_eq "the file's zone answers" "$(status www.a.test)" NOERROR
expect_eq "a zone not in the file is refused" "$(status www.b.test)" REFUSED

# ---- SIGHUP with a broken file: the running configuration stays, the position is said.
conf "$D/live.conf" "$FILE_PORT" b.test
printf 'zones: []\n' >>"$D/live.conf"
hup
expect_match "a broken file on SIGHUP: one line with FILE:LINE:COL" "$(cat "$DUALNSD_LOG")" \
	"reload: $D/live\.conf:[0-9]+:1: unknown key 'zones' in the file; keeping the running configuration"
expect_eq "... the file's zone still answers" "$(status www.a.test)" NOERROR
expect_eq "... and the zone of the broken file is not served" "$(status www.b.test)" REFUSED

# ---- SIGHUP with a zone added: it is served; a server option changed is logged.
conf "$D/live.conf" "$FILE_PORT" b.test c.test
sed -i 's/udp-size: 1232/udp-size: 1400/' "$D/live.conf"
hup
expect_eq "a zone added to the file is served after SIGHUP" "$(status www.c.test)" NOERROR
expect_eq "... and the other one added" "$(status www.b.test)" NOERROR
expect_eq "the command line's zone still answers" "$(status www.cli.test)" NOERROR
expect_match "a changed server option is logged: it needs a restart" "$(cat "$DUALNSD_LOG")" \
	"$D/live\.conf: udp-size changed; restart to apply"
expect_nomatch "the port the command line overrides is not reported" "$(cat "$DUALNSD_LOG")" \
	"port changed"

# ---- SIGHUP with a zone removed from the file: no longer served.
conf "$D/live.conf" "$FILE_PORT" b.test
hup
expect_eq "a zone removed from the file is refused after SIGHUP" "$(status www.c.test)" REFUSED
stop_dualnsd

# ---- --chroot (as root): the file is read at start only; SIGHUP reloads the zones.
if [ "$(id -u)" -eq 0 ]; then
	# LeakSanitizer cannot list the threads from inside a chroot (tests/sysd/privileges.sh).
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	conf "$D/chroot.conf" "$FILE_PORT" b.test
	start_dualnsd --chroot "$D" -c "$D/chroot.conf"
	HUPS=0 # a new log
	expect_match "--chroot: said once at start that SIGHUP will not read the file" \
		"$(grep -c "SIGHUP reloads the zones but does not read $D/chroot\.conf again" "$DUALNSD_LOG")" '^1$'
	expect_eq "--chroot: the file's zone answers" "$(status www.b.test)" NOERROR
	printf 'zones: []\n' >>"$D/chroot.conf"
	hup
	expect_nomatch "--chroot: SIGHUP does not read the broken file" "$(cat "$DUALNSD_LOG")" \
		"unknown key 'zones'"
	expect_eq "--chroot: after SIGHUP the zones still answer" "$(status www.b.test)" NOERROR
	stop_dualnsd
else
	note "not root: the --chroot case is skipped"
fi

# ---- the packaged example: as shipped (all commented), and with its examples on.
example="$top_srcdir/contrib/debian/dualnsd.conf"
out=$("$DUALNSD" --check -c "$example" "$D/cli.test.zone" 2>&1)
expect_eq "the packaged dualnsd.conf passes --check -c" "$?" 0
mkdir "$D/pkg" "$D/pkg/zones"
zone "$D/pkg/zones/example.com.zone" example.com. 1
# Its commented items start with '#' and two spaces or a letter; its prose with '# '.
sed -E 's/^#( {2}|[a-z])/\1/' "$example" >"$D/pkg/dualnsd.conf"
expect_match "the example's sections are there once uncommented" "$(cat "$D/pkg/dualnsd.conf")" '^acl:'
out=$("$DUALNSD" --check -c "$D/pkg/dualnsd.conf" 2>&1)
expect_eq "the packaged dualnsd.conf with its examples on passes --check -c" "$?" 0
expect_match "... serving its zone" "$out" '^example\.com\.: .*: ok$'

# ---- key, remote, acl and zone in Knot's syntax: a file both accept, and a broken one
# both refuse.
if command -v knotc >/dev/null 2>&1; then
	cat >"$D/knot.conf" <<'EOF'
key:
  - id: transfer.key
    algorithm: hmac-sha256
    secret: c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0
remote:
  - id: secondary
    address: [192.0.2.1@5300, "2001:db8::53"]
    key: transfer.key
acl:
  - id: xfr
    address: [10.0.0.0/8, 192.0.2.10-192.0.2.20, "2001:db8::/32"]
    key: transfer.key
    action: [transfer, notify]
  - id: single
    address: 198.51.100.7
    action: transfer
zone:
  - domain: a.test
    file: zones/a.test.zone
    notify: secondary
    acl: [xfr, single]
EOF
	out=$(knotc -c "$D/knot.conf" conf-check 2>&1)
	expect_eq "knotc conf-check accepts the file" "$?" 0
	out=$("$DUALNSD" --check -c "$D/knot.conf" 2>&1)
	expect_eq "dualnsd --check -c accepts the same file" "$?" 0
	sed 's/^    key: transfer.key$/    key: nokey/' "$D/knot.conf" >"$D/knot-bad.conf"
	out=$(knotc -c "$D/knot-bad.conf" conf-check 2>&1)
	expect_eq "knotc conf-check refuses an undefined key" "$?" 1
	expect_match "... naming line 8" "$out" "line 8"
	out=$("$DUALNSD" --check -c "$D/knot-bad.conf" 2>&1)
	expect_eq "dualnsd --check -c refuses it too" "$?" 1
	expect_match "... at line 8, column 10" "$out" "knot-bad\.conf:8:10: undefined key 'nokey'"
else
	note "knotc not found: the check against Knot's parser is skipped"
fi
