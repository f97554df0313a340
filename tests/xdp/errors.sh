#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/xdp/errors.sh: dualnsd --xdp that cannot start says what is missing in one line and
# exits 1 before serving: no such interface, no program file, no privilege (run as nobody),
# an interface whose driver has no native XDP (lo). Needs a build with XDP; the privilege
# and attach cases need root and are skipped without it.

. "$top_srcdir/tests/xdp/lib.sh" || exit 99

[ -f "$DUALNSD_XDP_OBJECT" ] || skip "built without XDP (./configure --enable-xdp)"
ZONE="$top_srcdir/zones/example.net.zone"

# refused WHAT ERE ARGS...: dualnsd ARGS on 127.0.0.1 exits 1 before serving, with a line
# matching ERE.
refused() {
	local what=$1 ere=$2 rc=0
	shift 2
	dualnsd_start_free "$SYS_TMP" "$@" || rc=$?
	SYS_LOGS+=("$DUALNSD_LOG")
	if [ "$rc" -ne 1 ]; then
		bad "$what: dualnsd exits before serving" "start returned $rc"
		[ "$rc" -eq 0 ] && stop_pid "$DUALNSD_PID"
		return
	fi
	expect_eq "$what: exit status 1" "$DUALNSD_STATUS" 1
	expect_match "$what: one line says why" "$(cat "$DUALNSD_LOG")" "$ere"
	expect_nomatch "$what: nothing was served" "$(cat "$DUALNSD_LOG")" "serving"
}

refused "no such interface" "error: --xdp: no such interface 'nosuch-xdp0'$" \
	--xdp nosuch-xdp0 "$ZONE"
DUALNSD_XDP_OBJECT=$SYS_TMP/missing.bpf.o refused "no program file" \
	"error: --xdp: cannot read the XDP program $SYS_TMP/missing.bpf.o: No such file or directory" \
	--xdp lo "$ZONE"

[ "$(id -u)" -eq 0 ] || skip "the privilege and attach cases need root"
# Those run in a namespace of their own: nothing is tried on the root namespace's lo.
need_tool ethtool ethtool
xdp_ns_setup
NS_WRAP=(ip netns exec "$XDP_SRV_NS")
if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	# The build tree may be unreadable to nobody: the program file and zone go to a
	# folder it can read.
	dir=$(sys_tmpdir)
	cp "$DUALNSD_XDP_OBJECT" "$ZONE" "$dir/"
	chmod 755 "$dir" "$SYS_TMP"
	chmod 644 "$dir"/*
	if setpriv --reuid=nobody --regid=nogroup --clear-groups test -r "$dir/xdp_dns.bpf.o"; then
		DUALNSD_WRAP=("${NS_WRAP[@]}" setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
		DUALNSD_XDP_OBJECT=$dir/xdp_dns.bpf.o refused "not root" \
			"error: --xdp: not permitted to load the XDP program: run as root or with CAP_NET_ADMIN and CAP_BPF" \
			--xdp lo "$dir/example.net.zone"
		DUALNSD_WRAP=()
	else
		note "nobody cannot reach $dir: the privilege case is skipped"
	fi
fi
# lo has no driver XDP: the attach in native mode fails and says why.
DUALNSD_WRAP=("${NS_WRAP[@]}")
refused "no native XDP on lo" \
	"error: --xdp: cannot attach the XDP program to lo in native mode: " --xdp lo "$ZONE"
