/* SPDX-License-Identifier: BSD-3-Clause */
/* acl.h: who may transfer a zone or notify us: address prefixes, optionally a TSIG key. */
#ifndef DUALNS_ACL_H
#define DUALNS_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#include "dns.h"
#include "rrl.h"

/* What an entry allows (flags, combined with |). */
enum acl_action {
	ACL_TRANSFER = 1, /* AXFR and IXFR out (RFC 5936 section 5) */
	ACL_NOTIFY = 2,   /* NOTIFY in (RFC 1996) */
};

/* Entries of one list; a fixed array, so a list is filled at configuration time with no
 * allocation and copied as a whole. */
#define ACL_MAX_ENTRIES 64

struct acl_entry {
	struct rrl_prefix prefix;
	uint8_t key[DNS_MAX_NAME]; /* lowercased wire name of the TSIG key */
	uint8_t key_len;           /* 0: no key, any request from the prefix matches */
	unsigned actions;          /* enum acl_action flags */
};

struct acl {
	struct acl_entry entries[ACL_MAX_ENTRIES];
	size_t count;
};

/* Appends an entry parsed from text: "ADDR", "ADDR/LEN" or either followed by ":KEYNAME"
 * (IPv4 or IPv6; an IPv6 address with a key needs its /LEN, as in "::1/128:key", since
 * "::1:beef" is an address). The key name is stored lowercased in wire form. Returns 0,
 * or -EINVAL with err naming what is wrong (a bad prefix or key name, or a full list). */
int acl_add(struct acl *acl, const char *text, unsigned actions, char *err, size_t errlen);

/* True when an entry for action matches the peer (its prefix; an IPv4-mapped IPv6 peer
 * matches IPv4 entries) and the key (an entry with a key matches only requests signed
 * with that key; key is the request's lowercased wire key name, NULL when unsigned). The
 * entries are tried in order and the first that matches allows. No entry matching, or a
 * NULL or empty acl: false. */
bool acl_allows(const struct acl *acl, const struct sockaddr *peer, const uint8_t *key,
		unsigned action);

#endif
