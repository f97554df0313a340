/* SPDX-License-Identifier: BSD-3-Clause */
/* chaos.c: identity and version in class CH TXT, the way operators ask every server
 * (`dig CH TXT id.server`), answered from RRsets built at startup; the counters in
 * stats.dualns. are written per query into the worker's scratch RRset. No allocation. */
#include "config.h"

#include <string.h>

#include "chaos.h"

/* Writes a record header of db.h's RRset data: RDLENGTH, then no compressible name. */
static void rr_header_write(uint8_t *rr, size_t rdlen)
{
	unsigned i;

	dns_write16(rr, (unsigned)rdlen);
	for (i = 0; i < RR_MAX_NAMES; i++)
		dns_write16(rr + sizeof(uint16_t) * (1 + i), RR_NAME_NONE);
}

static void txt_init(struct chaos_txt *t, const char *text)
{
	size_t len = strlen(text);

	if (len > CHAOS_TXT_MAX)
		len = CHAOS_TXT_MAX;
	rr_header_write(t->data, len + 1);
	t->data[RR_HEADER_SIZE] = (uint8_t)len;
	memcpy(t->data + RR_HEADER_SIZE + 1, text, len);
	t->rrset.type = DNS_TYPE_TXT;
	t->rrset.rclass = DNS_CLASS_CH;
	t->rrset.count = 1;
	t->rrset.ttl = 0; /* the answer is about this server at this moment: never cache */
	t->rrset.data_len = (uint32_t)(RR_HEADER_SIZE + 1 + len);
	t->rrset.data = t->data;
}

void chaos_config_init(struct chaos_config *c, const char *identity, const char *version)
{
	txt_init(&c->identity, identity);
	txt_init(&c->version, version);
}

/* A lowercased wire name and its length, root label included. */
#define WIRE_NAME(literal) literal, sizeof(literal)

static const struct {
	const char *name;   /* lowercased wire form */
	unsigned len;
	bool identity;
} chaos_names[] = {
	{ WIRE_NAME("\2id\6server"), true },
	{ WIRE_NAME("\10hostname\4bind"), true },
	{ WIRE_NAME("\7version\6server"), false },
	{ WIRE_NAME("\7version\4bind"), false },
};

/* Builds the stats TXT RRset in scratch: each word of the text a character-string. */
static const struct rrset *stats_rrset(const struct chaos_config *c, struct chaos_stats *scratch)
{
	char text[CHAOS_STATS_MAX];
	uint8_t *out = scratch->data + RR_HEADER_SIZE;
	size_t len = 0;
	char *word, *save = NULL;

	text[0] = '\0';
	c->stats_text(c->stats_ctx, text, sizeof(text));
	for (word = strtok_r(text, " ", &save); word != NULL; word = strtok_r(NULL, " ", &save)) {
		size_t wl = strlen(word);

		if (wl > CHAOS_TXT_MAX || len + 1 + wl > CHAOS_STATS_MAX)
			break;
		out[len] = (uint8_t)wl;
		memcpy(out + len + 1, word, wl);
		len += 1 + wl;
	}
	rr_header_write(scratch->data, len);
	scratch->rrset.type = DNS_TYPE_TXT;
	scratch->rrset.rclass = DNS_CLASS_CH;
	scratch->rrset.count = 1;
	scratch->rrset.ttl = 0;
	scratch->rrset.data_len = (uint32_t)(RR_HEADER_SIZE + len);
	scratch->rrset.data = scratch->data;
	return &scratch->rrset;
}

void chaos_answer(struct answer_result *res, struct encoder *e, const struct chaos_config *c,
		  const struct wire_query *q, bool loopback, struct chaos_stats *scratch)
{
	static const uint8_t stats_name[] = "\5stats\6dualns";
	const struct rrset *rrset = NULL;
	size_t i;

	res->rcode = RCODE_REFUSED;
	res->aa = false;
	if (dns_name_equal(q->lname, q->qname_len, stats_name, sizeof(stats_name))) {
		if (!loopback || c->stats_text == NULL)
			return;
		res->rcode = RCODE_NOERROR;
		res->aa = true;
		if (q->qtype == DNS_TYPE_TXT || q->qtype == DNS_TYPE_ANY)
			rrset = stats_rrset(c, scratch);
		if (rrset != NULL &&
		    encode_rrset(e, SECTION_ANSWER, q->qname, q->qname_len, rrset, 0) != 0)
			res->tc = true;
		return;
	}
	for (i = 0; i < sizeof(chaos_names) / sizeof(chaos_names[0]); i++) {
		if (!dns_name_equal(q->lname, q->qname_len, (const uint8_t *)chaos_names[i].name,
				   chaos_names[i].len))
			continue;
		if (chaos_names[i].identity ? c->hide_identity : c->hide_version)
			return;
		rrset = chaos_names[i].identity ? &c->identity.rrset : &c->version.rrset;
	}
	if (rrset == NULL)
		return;
	res->rcode = RCODE_NOERROR;
	res->aa = true;
	if (q->qtype != DNS_TYPE_TXT && q->qtype != DNS_TYPE_ANY)
		return; /* NODATA: the name has TXT only */
	if (encode_rrset(e, SECTION_ANSWER, q->qname, q->qname_len, rrset, 0) != 0)
		res->tc = true;
}
