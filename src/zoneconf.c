/* SPDX-License-Identifier: BSD-3-Clause */
/* zoneconf.c: the zone configuration built from the command line and the file. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zoneconf.h"

/* The keys: the command line's first, then those of the file it does not name. */
static int build_keys(struct tsig_keyring *kr, const struct tsig_keyring *cmdline,
		      const struct conf *conf, char *err, size_t errlen)
{
	size_t i;
	int r;

	for (i = 0; cmdline != NULL && i < cmdline->count; i++) {
		r = tsig_keyring_add_copy(kr, cmdline->keys[i]);
		if (r < 0) {
			snprintf(err, errlen, "out of memory");
			return r;
		}
	}
	for (i = 0; conf != NULL && i < conf->key_count; i++) {
		const struct conf_key *k = &conf->keys[i];

		if (tsig_keyring_find(kr, k->wire, k->wire_len) != NULL)
			continue; /* --key gave it: the command line wins */
		r = tsig_keyring_add_secret(kr, k->id, k->algorithm_name, k->secret, k->secret_len,
					    NULL, err, errlen);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The zone's notify targets: every address of each of its remotes, with the remote's key. */
static int build_notify(struct zoneconf_zone *zz, const struct conf_zone *cz)
{
	size_t i, j, n = 0;

	zz->has_notify = cz->notify_count > 0;
	for (i = 0; i < cz->notify_count; i++)
		n += cz->notify[i]->addr_count;
	if (n == 0)
		return 0;
	zz->notify = calloc(n, sizeof(*zz->notify));
	if (zz->notify == NULL)
		return -ENOMEM;
	for (i = 0; i < cz->notify_count; i++) {
		const struct conf_remote *rem = cz->notify[i];

		for (j = 0; j < rem->addr_count; j++) {
			struct notify_target *t = &zz->notify[zz->notify_count++];

			t->addr = rem->addrs[j];
			t->addr_len = rem->addrs[j].ss_family == AF_INET6 ?
				sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
			if (rem->key != NULL)
				snprintf(t->key, sizeof(t->key), "%s", rem->key->id);
		}
	}
	return 0;
}

/* Appends one entry to a: the prefix, the key (NULL: none) and the actions. */
static int acl_append(struct acl *a, const struct rrl_prefix *p, const struct conf_key *key,
		      unsigned actions)
{
	struct acl_entry *e;

	if (a->count == ACL_MAX_ENTRIES)
		return -EINVAL;
	e = &a->entries[a->count++];
	memset(e, 0, sizeof(*e));
	e->prefix = *p;
	e->actions = actions;
	if (key != NULL) {
		memcpy(e->key, key->wire, key->wire_len);
		e->key_len = (uint8_t)key->wire_len;
	}
	return 0;
}

/* The address as a number (big-endian bytes; 4 or 16 of them). */
static unsigned __int128 addr_value(const uint8_t *a, size_t n)
{
	unsigned __int128 v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = (v << 8) | a[i];
	return v;
}

static void addr_bytes(uint8_t *a, size_t n, unsigned __int128 v)
{
	size_t i;

	for (i = n; i-- > 0; v >>= 8)
		a[i] = (uint8_t)(v & 0xff);
}

/* 2^n - 1 for n of 0 to 128. */
static unsigned __int128 low_mask(unsigned n)
{
	return n >= 128 ? ~(unsigned __int128)0 : ((unsigned __int128)1 << n) - 1;
}

/* One address item of an acl as prefixes: a prefix as it is, a range ADDR1-ADDR2 as the
 * fewest prefixes that cover exactly it, each with every key of the item (or none). */
static int acl_add_match(struct acl *a, const struct confaddr_match *m,
			 const struct conf_acl *ca, unsigned actions)
{
	unsigned bits = m->family == AF_INET ? 32 : 128, host;
	size_t bytes = bits / 8, k, keys = ca->key_count > 0 ? ca->key_count : 1;
	unsigned __int128 lo = addr_value(m->addr, bytes);
	unsigned __int128 hi = m->range ? addr_value(m->last, bytes) : lo;
	struct rrl_prefix p = { .family = m->family };

	for (;;) {
		/* The largest block aligned at lo that ends at or before hi. */
		host = m->range ? 0 : bits - m->prefix;
		while (m->range && host < bits && (lo & low_mask(host + 1)) == 0 &&
		       hi - lo >= low_mask(host + 1))
			host++;
		memset(p.addr, 0, sizeof(p.addr));
		addr_bytes(p.addr, bytes, lo);
		p.len = bits - host;
		for (k = 0; k < keys; k++)
			if (acl_append(a, &p, ca->key_count > 0 ? ca->keys[k] : NULL, actions) < 0)
				return -EINVAL;
		if (!m->range || hi - lo == low_mask(host))
			return 0;
		lo += low_mask(host) + 1;
	}
}

/* One of the zone's ACLs (*out) from its acl items with this action (a conf_action bit),
 * as entries for acl_action. Leaves *out NULL when the zone gave no acl. */
static int build_acl(struct acl **out, const struct conf_zone *cz, unsigned action,
		     unsigned acl_action, char *err, size_t errlen)
{
	static const struct confaddr_match any[2] = {
		{ .family = AF_INET, .prefix = 0 }, { .family = AF_INET6, .prefix = 0 },
	};
	size_t i, j;

	if (cz->acl_count == 0)
		return 0;
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return -ENOMEM;
	for (i = 0; i < cz->acl_count; i++) {
		const struct conf_acl *ca = cz->acl[i];
		const struct confaddr_match *m = ca->addr_count > 0 ? ca->addrs : any;
		size_t n = ca->addr_count > 0 ? ca->addr_count : 2;

		if (!(ca->actions & action))
			continue;
		for (j = 0; j < n; j++)
			if (acl_add_match(*out, &m[j], ca, acl_action) < 0) {
				snprintf(err, errlen, "zone %s: its acls make more than %d entries",
					 cz->domain, ACL_MAX_ENTRIES);
				return -EINVAL;
			}
	}
	return 0;
}

/* A secondary zone's primaries: every address of each of its master remotes, with the
 * remote's key copied from the keyring (it signs the transfers). */
static int build_primaries(struct zoneconf_zone *zz, const struct conf_zone *cz,
			   const struct tsig_keyring *keys)
{
	size_t i, j, n = 0;

	for (i = 0; i < cz->master_count; i++)
		n += cz->masters[i]->addr_count;
	if (n == 0)
		return 0;
	zz->primaries = calloc(n, sizeof(*zz->primaries));
	if (zz->primaries == NULL)
		return -ENOMEM;
	for (i = 0; i < cz->master_count; i++) {
		const struct conf_remote *rem = cz->masters[i];
		const struct tsig_key *key = NULL;

		if (rem->key != NULL)
			key = tsig_keyring_find(keys, rem->key->wire, rem->key->wire_len);
		for (j = 0; j < rem->addr_count; j++) {
			struct xfrin_primary *p = &zz->primaries[zz->primary_count++];

			p->addr = rem->addrs[j];
			p->addr_len = rem->addrs[j].ss_family == AF_INET6 ?
				sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
			if (key != NULL) {
				p->has_key = true;
				p->key = *key;
			}
		}
	}
	return 0;
}

/* The zone's own settings: notify targets, ACLs, and for a secondary zone its primaries,
 * its name and the file it is kept in. */
static int build_zone(struct zoneconf_zone *zz, const struct conf_zone *cz,
		      const struct tsig_keyring *keys, char *err, size_t errlen)
{
	int r;

	memcpy(zz->origin, cz->wire, cz->wire_len);
	zz->origin_len = cz->wire_len;
	if (build_notify(zz, cz) < 0)
		return -ENOMEM;
	r = build_acl(&zz->transfer, cz, CONF_ACTION_TRANSFER, ACL_TRANSFER, err, errlen);
	if (r == 0)
		r = build_acl(&zz->notify_in, cz, CONF_ACTION_NOTIFY, ACL_NOTIFY, err, errlen);
	if (r < 0 || cz->master_count == 0)
		return r;
	if (build_primaries(zz, cz, keys) < 0)
		return -ENOMEM;
	zz->name = strdup(cz->domain);
	if (zz->name == NULL || (cz->file != NULL && (zz->file = strdup(cz->file)) == NULL))
		return -ENOMEM;
	return 0;
}

int zoneconf_build(struct zoneconf **out, const struct tsig_keyring *cmdline_keys,
		   const struct conf *conf, char *err, size_t errlen)
{
	struct zoneconf *zc = calloc(1, sizeof(*zc));
	size_t i;
	int r = -ENOMEM;

	*out = NULL;
	if (zc == NULL)
		goto fail;
	zc->refs = 1;
	zc->keys = tsig_keyring_new();
	if (zc->keys == NULL)
		goto fail;
	r = build_keys(zc->keys, cmdline_keys, conf, err, errlen);
	if (r < 0)
		goto fail_quiet;
	r = -ENOMEM;
	if (conf != NULL && conf->zone_count > 0) {
		zc->zones = calloc(conf->zone_count, sizeof(*zc->zones));
		if (zc->zones == NULL)
			goto fail;
		for (i = 0; i < conf->zone_count; i++) {
			r = build_zone(&zc->zones[zc->zone_count++], &conf->zones[i], zc->keys,
				       err, errlen);
			if (r < 0) {
				if (r == -ENOMEM)
					goto fail;
				goto fail_quiet;
			}
			r = -ENOMEM;
		}
	}
	*out = zc;
	return 0;
fail:
	snprintf(err, errlen, "out of memory");
fail_quiet:
	zoneconf_unref(zc);
	return r;
}

struct zoneconf *zoneconf_ref(struct zoneconf *zc)
{
	if (zc != NULL)
		zc->refs++;
	return zc;
}

void zoneconf_unref(struct zoneconf *zc)
{
	size_t i;

	if (zc == NULL || --zc->refs > 0)
		return;
	for (i = 0; i < zc->zone_count; i++) {
		free(zc->zones[i].notify);
		free(zc->zones[i].transfer);
		free(zc->zones[i].notify_in);
		free(zc->zones[i].primaries);
		free(zc->zones[i].name);
		free(zc->zones[i].file);
	}
	free(zc->zones);
	tsig_keyring_unref(zc->keys);
	free(zc);
}

const struct zoneconf_zone *zoneconf_find(const struct zoneconf *zc, const uint8_t *origin,
					  size_t len)
{
	size_t i;

	for (i = 0; zc != NULL && i < zc->zone_count; i++)
		if (dns_name_equal(zc->zones[i].origin, zc->zones[i].origin_len, origin, len))
			return &zc->zones[i];
	return NULL;
}
