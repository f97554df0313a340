/* SPDX-License-Identifier: BSD-3-Clause */
/* acl.c: parsing and checking transfer and notify access lists. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "acl.h"
#include "wire.h"

/* A key name in presentation form ("name.", "name" or "." ) into lowercased wire form.
 * No escapes: key names are host-name-like. Returns the wire length, or 0 when bad
 * (an empty label, a label over 63 bytes, a name over 255). */
static size_t key_name_parse(uint8_t out[DNS_MAX_NAME], const char *text)
{
	size_t len = 0, tlen = strlen(text), i;
	const char *p = text, *dot;

	if (tlen == 0)
		return 0;
	if (strcmp(text, ".") == 0) {
		out[0] = 0;
		return 1;
	}
	if (text[tlen - 1] == '.')
		tlen--;
	while (p < text + tlen) {
		size_t l;

		dot = memchr(p, '.', (size_t)(text + tlen - p));
		l = dot != NULL ? (size_t)(dot - p) : (size_t)(text + tlen - p);
		if (l == 0 || l > DNS_MAX_LABEL || len + 1 + l + 1 > DNS_MAX_NAME)
			return 0;
		out[len++] = (uint8_t)l;
		for (i = 0; i < l; i++) {
			char c = p[i];

			out[len++] = (uint8_t)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
		}
		p += l + (dot != NULL ? 1 : 0);
	}
	out[len++] = 0;
	return len;
}

int acl_add(struct acl *acl, const char *text, unsigned actions, char *err, size_t errlen)
{
	char prefix[INET6_ADDRSTRLEN + 8];
	struct acl_entry *e;
	const char *colon;

	if (acl->count == ACL_MAX_ENTRIES) {
		snprintf(err, errlen, "at most %d entries", ACL_MAX_ENTRIES);
		return -EINVAL;
	}
	e = &acl->entries[acl->count];
	memset(e, 0, sizeof(*e));
	e->actions = actions;
	if (rrl_prefix_parse(&e->prefix, text) == 0) {
		acl->count++;
		return 0;
	}
	/* Not a prefix as a whole: the key follows the last colon. */
	colon = strrchr(text, ':');
	if (colon == NULL || (size_t)(colon - text) >= sizeof(prefix)) {
		snprintf(err, errlen, "'%s' is not an address or ADDRESS/LEN prefix "
			 "(optionally followed by :KEYNAME)", text);
		return -EINVAL;
	}
	memcpy(prefix, text, (size_t)(colon - text));
	prefix[colon - text] = '\0';
	if (rrl_prefix_parse(&e->prefix, prefix) < 0) {
		snprintf(err, errlen, "'%s' is not an address or ADDRESS/LEN prefix "
			 "(LEN up to 32 or 128; an IPv6 address with a key needs its /LEN)",
			 prefix);
		return -EINVAL;
	}
	e->key_len = (uint8_t)key_name_parse(e->key, colon + 1);
	if (e->key_len == 0) {
		snprintf(err, errlen, "'%s' is not a key name", colon + 1);
		return -EINVAL;
	}
	acl->count++;
	return 0;
}

bool acl_allows(const struct acl *acl, const struct sockaddr *peer, const uint8_t *key,
		unsigned action)
{
	size_t i;

	/* Only IP clients can match a prefix (a test may use another family). */
	if (acl == NULL || peer == NULL ||
	    (peer->sa_family != AF_INET && peer->sa_family != AF_INET6))
		return false;
	for (i = 0; i < acl->count; i++) {
		const struct acl_entry *e = &acl->entries[i];

		if ((e->actions & action) == 0 || !rrl_prefix_match(&e->prefix, peer))
			continue;
		if (e->key_len > 0 && (key == NULL || wire_name_len(key) != e->key_len ||
				       memcmp(key, e->key, e->key_len) != 0))
			continue;
		return true;
	}
	return false;
}
