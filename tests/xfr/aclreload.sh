#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# aclreload.sh: the configuration file's transfer ACLs: a zone's own `acl` decides who may
# transfer it, the server section's allow-transfer serves the zones without one, and a
# SIGHUP that reads a changed file applies the new ACL to the next transfer (RFC 5936
# section 5: a primary decides who may transfer).
. "${top_srcdir:?run the tests with make check}/tests/system/lib.sh" || exit 99

need_python
need_tool dig "apt-get install dnsutils"
work=$(sys_tmpdir)
for o in a.test b.test; do
	zone "$work/$o.zone" "$o." 1
done

# conf ACL_ADDRESS: a file where a.test has its own acl, b.test none.
conf() {
	cat >"$work/dualnsd.conf.tmp" <<CONF
server:
  allow-transfer: 127.0.0.2
acl:
  - id: local
    address: $1
    action: transfer
zone:
  - domain: a.test
    file: $work/a.test.zone
    acl: local
  - domain: b.test
    file: $work/b.test.zone
CONF
	mv "$work/dualnsd.conf.tmp" "$work/dualnsd.conf"
}

# axfr ZONE [SOURCE]: the AXFR's SOA count from 127.0.0.1 (or SOURCE): 2 when it came whole.
axfr() {
	qdig "$PORT" -b "${2:-127.0.0.1}" +noall +answer "$1" AXFR | grep -c 'IN	SOA'
}

conf 127.0.0.1
start_dualnsd -c "$work/dualnsd.conf"
expect_eq "a.test's own acl lets 127.0.0.1 transfer it" "$(axfr a.test.)" 2
expect_eq "... and not 127.0.0.2, which only the server-wide list names" "$(axfr a.test. 127.0.0.2)" 0
expect_eq "b.test has no acl: the server section's allow-transfer lets 127.0.0.2 transfer it" \
	"$(axfr b.test. 127.0.0.2)" 2
expect_eq "... and not 127.0.0.1" "$(axfr b.test.)" 0
r=$(dnsraw --port "$PORT" --tcp --edns -q b.test/AXFR)
expect_eq "a refusal is REFUSED with EDE 18, Prohibited (RFC 8914 section 4.19)" \
	"$(kv rcodename "$r"):$(kv ede "$r")" REFUSED:18

conf 10.0.0.0/8
hup
expect_eq "after a SIGHUP that reads a new acl, 127.0.0.1 may no longer transfer a.test" "$(axfr a.test.)" 0
conf 127.0.0.0/30
hup
expect_eq "... and with 127.0.0.0/30 it may again" "$(axfr a.test.)" 2
printf 'zone:\n  - domain: a.test\n    acl: nowhere\n' >"$work/dualnsd.conf"
hup
expect_match "a broken file is refused with its position" "$(cat "$DUALNSD_LOG")" \
	"reload: $work/dualnsd.conf:[0-9]+:[0-9]+: .*keeping the running configuration"
expect_eq "... and the running ACL stays" "$(axfr a.test.)" 2
stop_dualnsd
