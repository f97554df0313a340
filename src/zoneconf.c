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
			struct zoneconf_zone *zz = &zc->zones[zc->zone_count++];

			memcpy(zz->origin, conf->zones[i].wire, conf->zones[i].wire_len);
			zz->origin_len = conf->zones[i].wire_len;
			if (build_notify(zz, &conf->zones[i]) < 0)
				goto fail;
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
	for (i = 0; i < zc->zone_count; i++)
		free(zc->zones[i].notify);
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
