/* SPDX-License-Identifier: BSD-3-Clause */
/* zoneconf.h: what the command line and the configuration file say about the zones beyond
 * their data: the TSIG keys, and for each zone of the file whom to notify, who may
 * transfer it or notify us, and for a secondary zone its primaries. Built by the
 * main thread at start and at each SIGHUP that reads a good file, then published with the
 * db (struct db's zoneconf), so that workers and the NOTIFY sender read it without locks. */
#ifndef DUALNS_ZONECONF_H
#define DUALNS_ZONECONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acl.h"
#include "conf.h"
#include "dns.h"
#include "notify.h"
#include "tsigkey.h"
#include "xfrin.h"

/* One zone of the configuration file. */
struct zoneconf_zone {
	uint8_t origin[DNS_MAX_NAME];    /* lowercased wire name */
	size_t origin_len;
	/* Its `notify` remotes, one target per address, each with the remote's key (RFC 1996
	 * section 3.6: the servers the zone's NOTIFY goes to). has_notify false: the zone
	 * gave none, and the server-wide --also-notify targets apply. */
	bool has_notify;
	struct notify_target *notify;
	size_t notify_count;
	/* Who may transfer it: the entries of its `acl` items with action transfer, in order
	 * (an item's addresses times its keys; a range as the prefixes that cover it). NULL:
	 * the zone gave no acl, and the server-wide --allow-transfer list applies. */
	struct acl *transfer;
	/* Who may NOTIFY us (RFC 1996 section 3.10): the entries of its `acl` items with
	 * action notify. NULL: the zone gave no acl, and nobody may. */
	struct acl *notify_in;
	/* A secondary zone (primary_count > 0): every address of its `master` remotes, each
	 * with its remote's key copied from the keyring; its name as written; the file it is
	 * kept in (NULL: none, memory only). */
	struct xfrin_primary *primaries;
	size_t primary_count;
	char *name;
	char *file;
};

/* Immutable once published; its references change only in the publisher's thread
 * (dbswap.h, rule 5), as the zones' and the keyring's do. */
struct zoneconf {
	unsigned refs;
	struct tsig_keyring *keys;       /* --key, then the file's keys; never NULL */
	struct zoneconf_zone *zones;
	size_t zone_count;
};

/* Builds the zone configuration from the command line's keys (cmdline_keys, NULL for none)
 * and the configuration file (conf, NULL without one). A key of the file whose name a
 * --key gives too is the command line's (the command line wins). Returns 0 with *out
 * holding one reference, -EINVAL with err saying why (a key the keyring refuses, a zone
 * whose ACLs need more than ACL_MAX_ENTRIES entries), or -ENOMEM. */
int zoneconf_build(struct zoneconf **out, const struct tsig_keyring *cmdline_keys,
		   const struct conf *conf, char *err, size_t errlen);

/* One more reference to zc (NULL allowed). Returns zc. */
struct zoneconf *zoneconf_ref(struct zoneconf *zc);

/* Drops a reference; the last frees it. NULL is ignored. */
void zoneconf_unref(struct zoneconf *zc);

/* The configuration of the zone with this lowercased origin, or NULL (zc may be NULL). */
const struct zoneconf_zone *zoneconf_find(const struct zoneconf *zc, const uint8_t *origin,
					  size_t len);

#endif
