/* SPDX-License-Identifier: BSD-3-Clause */
/* zonewrite.c: a zone back to zone-file text, written atomically. Load path only. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "dns.h"
#include "dnssec.h"
#include "zonewrite.h"

/* Prints each record of the RRset owned by name: rebuilt in wire form (owner, type,
 * class, TTL, RDATA) and printed by ldns. */
static int print_rrset(FILE *out, const struct zone *z, const struct node *n, const struct rrset *rs)
{
	const uint8_t *name = n->name;
	size_t name_len = n->name_len;
	uint8_t wire[DNS_MAX_NAME + DNS_RR_FIXED_SIZE + 65535];
	const uint8_t *p = rs->data;
	uint16_t i;

	memcpy(wire, name, name_len);
	for (i = 0; i < rs->count; i++) {
		size_t rdlen = dns_read16(p), pos = 0;
		uint8_t *f = wire + name_len;
		ldns_rr *rr = NULL;

		dns_write16(f + DNS_RR_OFF_TYPE, rs->type);
		dns_write16(f + DNS_RR_OFF_CLASS, rs->rclass);
		dns_write32(f + DNS_RR_OFF_TTL, dnssec_record_ttl(z, n, rs, p));
		dns_write16(f + DNS_RR_OFF_RDLENGTH, (unsigned)rdlen);
		memcpy(f + DNS_RR_FIXED_SIZE, p + RR_HEADER_SIZE, rdlen);
		if (ldns_wire2rr(&rr, wire, name_len + DNS_RR_FIXED_SIZE + rdlen, &pos,
				 LDNS_SECTION_ANSWER) != LDNS_STATUS_OK)
			return -ENOMEM;
		ldns_rr_print(out, rr);
		ldns_rr_free(rr);
		p += RR_HEADER_SIZE + rdlen;
	}
	return ferror(out) ? -EIO : 0;
}

int zonewrite_print(const struct zone *z, FILE *out)
{
	const struct node *n;
	uint16_t i;
	int r;

	fprintf(out, "$ORIGIN %s\n", z->origin_text);
	r = print_rrset(out, z, z->apex, z->soa);
	for (n = zone_next_node(z, NULL); n != NULL && r == 0; n = zone_next_node(z, n))
		for (i = 0; i < n->rrset_count && r == 0; i++)
			if (!(n->flags & NODE_APEX) || n->rrsets[i].type != DNS_TYPE_SOA)
				r = print_rrset(out, z, n, &n->rrsets[i]);
	if (r == 0 && fflush(out) != 0)
		r = -EIO;
	return r;
}

/* fsync of the folder that holds path, so that the rename is on disk too. */
static int sync_folder(const char *path)
{
	char *copy = strdup(path);
	int fd, r = 0;

	if (copy == NULL)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fsync(fd) < 0)
		r = -errno;
	if (fd >= 0)
		close(fd);
	free(copy);
	return r;
}

int zonewrite_file(const struct zone *z, const char *path, char *err, size_t errlen)
{
	char *tmp = NULL;
	FILE *out = NULL;
	const char *step;
	int r;

	if (asprintf(&tmp, "%s.tmp", path) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	step = "cannot create";
	out = fopen(tmp, "w");
	if (out == NULL)
		goto fail_errno;
	step = "cannot write";
	r = zonewrite_print(z, out);
	if (r < 0) {
		errno = -r;
		goto fail_errno;
	}
	step = "cannot sync";
	if (fsync(fileno(out)) < 0)
		goto fail_errno;
	step = "cannot close";
	r = fclose(out);
	out = NULL;
	if (r != 0)
		goto fail_errno;
	if (rename(tmp, path) < 0) {
		r = -errno;
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		goto fail;
	}
	free(tmp);
	r = sync_folder(path);
	if (r < 0)
		snprintf(err, errlen, "cannot sync the folder of %s: %s", path, strerror(-r));
	return r;
fail_errno:
	r = -errno;
	snprintf(err, errlen, "%s %s: %s", step, tmp, strerror(errno));
fail:
	if (out != NULL)
		fclose(out);
	unlink(tmp);
	free(tmp);
	return r;
}
