/* SPDX-License-Identifier: BSD-3-Clause */
/* xfringet.c: runs one refresh (xfrin.h) on a libev loop against the primaries given on
 * the command line and prints the result as a zone-file comment, then the new zone's
 * records in presentation form, one per line, for tests/xfr/xfrin.sh to compare.
 *
 *   xfringet [-k NAME:ALG:SECRET] [-c CURRENT.zone] [-t SECONDS] [-f] ORIGIN ADDR#PORT...
 *
 * -k signs with the key (every primary), -c gives the current version (an IXFR then),
 * -f forces the transfer. Exits 0 when the refresh succeeded, 1 when it failed, 2 on
 * bad usage. Test code: it allocates freely. */
#include "config.h"

#include <errno.h>
#include <ev.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tsigkey.h"
#include "xfrin.h"
#include "zonefile.h"
#include "journaltext.h"

struct outcome {
	bool done;
	int status;
	struct zone *zone;
};

static const char *kind_name(enum xfrin_kind k)
{
	return k == XFRIN_IXFR ? "IXFR" : k == XFRIN_AXFR ? "AXFR" : "UPTODATE";
}

static void done_cb(const struct xfrin_result *r, void *arg)
{
	struct outcome *o = arg;
	char host[NI_MAXHOST] = "-", serv[NI_MAXSERV] = "-";

	if (r->from != NULL)
		(void)getnameinfo((const struct sockaddr *)&r->from->addr, r->from->addr_len,
				  host, sizeof(host), serv, sizeof(serv),
				  NI_NUMERICHOST | NI_NUMERICSERV);
	printf("; status %d kind %s serial %u from %s#%s messages %zu records %zu bytes %zu%s%s\n",
	       r->status, r->status == 0 ? kind_name(r->kind) : "-", r->serial, host, serv,
	       r->messages, r->records, r->bytes, r->status != 0 ? " error " : "",
	       r->status != 0 ? r->error : "");
	o->done = true;
	o->status = r->status;
	o->zone = r->zone;
	ev_break(EV_DEFAULT, EVBREAK_ALL);
}

static void print_zone(const struct zone *z)
{
	const struct node *n;
	char line[70000];

	for (n = zone_next_node(z, NULL); n != NULL; n = zone_next_node(z, n)) {
		unsigned i;

		for (i = 0; i < n->rrset_count; i++) {
			const struct rrset *s = &n->rrsets[i];
			const uint8_t *p = s->data, *end = s->data + s->data_len;

			for (; p < end; p += RR_HEADER_SIZE + dns_read16(p)) {
				struct journal_rr rr = {
					.owner = n->name, .owner_len = n->name_len,
					.type = s->type, .ttl = s->ttl, .rdlen = dns_read16(p),
					.rdata = p + RR_HEADER_SIZE,
				};

				if (journal_rr_text(&rr, line, sizeof(line)) != NULL)
					printf("%s\n", line);
			}
		}
	}
}

static int parse_primary(struct xfrin_primary *p, const char *text)
{
	char host[256];
	const char *hash = strrchr(text, '#');
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV }, *ai;

	if (hash == NULL || (size_t)(hash - text) >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, (size_t)(hash - text));
	host[hash - text] = '\0';
	if (getaddrinfo(host, hash + 1, &hints, &ai) != 0)
		return -EINVAL;
	memcpy(&p->addr, ai->ai_addr, ai->ai_addrlen);
	p->addr_len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

int main(int argc, char **argv)
{
	struct tsig_keyring *kr = tsig_keyring_new();
	struct xfrin_primary *prim;
	struct outcome o = { 0 };
	struct zone *current = NULL;
	const char *cur_path = NULL;
	double timeout = 5;
	bool force = false;
	char err[256];
	ldns_rdf *origin = NULL;
	char *origin_text;
	size_t count, i;
	int c;

	while ((c = getopt(argc, argv, "k:c:t:f")) != -1) {
		switch (c) {
		case 'k':
			if (tsig_keyring_add_spec(kr, optarg, err, sizeof(err)) != 0) {
				fprintf(stderr, "xfringet: bad key: %s\n", err);
				return 2;
			}
			break;
		case 'c':
			cur_path = optarg;
			break;
		case 't':
			timeout = atof(optarg);
			break;
		case 'f':
			force = true;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind < 2 || ldns_str2rdf_dname(&origin, argv[optind]) != LDNS_STATUS_OK) {
		fprintf(stderr, "usage: xfringet [-k KEY] [-c CURRENT] [-t S] [-f] ORIGIN "
			"ADDR#PORT...\n");
		return 2;
	}
	origin_text = ldns_rdf2str(origin);
	ldns_dname2canonical(origin);
	if (cur_path != NULL && (zonefile_load(cur_path, argv[optind], &current) != 0 ||
				 !current->ok)) {
		fprintf(stderr, "xfringet: %s does not load\n", cur_path);
		return 2;
	}
	count = (size_t)(argc - optind - 1);
	prim = calloc(count, sizeof(*prim));
	for (i = 0; i < count; i++) {
		if (parse_primary(&prim[i], argv[optind + 1 + i]) != 0) {
			fprintf(stderr, "xfringet: bad primary %s (ADDR#PORT)\n",
				argv[optind + 1 + i]);
			return 2;
		}
		if (kr->count > 0) {
			prim[i].has_key = true;
			prim[i].key = *kr->keys[0];
		}
	}
	if ((force ? xfrin_start_force : xfrin_start)(EV_DEFAULT, ldns_rdf_data(origin),
						       ldns_rdf_size(origin), origin_text, current,
						       prim, count, timeout, done_cb, &o) == NULL) {
		fprintf(stderr, "xfringet: out of memory\n");
		return 1;
	}
	ev_run(EV_DEFAULT, 0);
	if (o.zone != NULL)
		print_zone(o.zone);
	zone_free(o.zone);
	zone_free(current);
	free(prim);
	free(origin_text);
	ldns_rdf_deep_free(origin);
	tsig_keyring_unref(kr);
	return o.done && o.status == 0 ? 0 : 1;
}
