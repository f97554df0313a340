/* chaos.c: identity and version in class CH TXT, the way operators ask every server
 * (`dig CH TXT id.server`); answered from RRsets built at startup, nothing per query. */
#include "config.h"

#include <string.h>

#include "chaos.h"

static void txt_init(struct chaos_txt *t, const char *text)
{
	size_t len = strlen(text);

	if (len > 255)
		len = 255;
	dns_write16(t->data, (unsigned)len + 1);
	dns_write16(t->data + 2, RR_NAME_NONE);
	dns_write16(t->data + 4, RR_NAME_NONE);
	t->data[RR_HEADER_SIZE] = (uint8_t)len;
	memcpy(t->data + RR_HEADER_SIZE + 1, text, len);
	t->rrset.type = DNS_TYPE_TXT;
	t->rrset.rclass = DNS_CLASS_CH;
	t->rrset.count = 1;
	t->rrset.ttl = 0; /* the answer is about this server at this moment: never cache */
	t->rrset.data_len = (uint32_t)(RR_HEADER_SIZE + 1 + len);
	t->rrset.data = t->data;
}

int chaos_config_init(struct chaos_config *c, const char *identity, const char *version)
{
	txt_init(&c->identity, identity);
	txt_init(&c->version, version);
	return 0;
}

static const struct {
	const char *name;   /* lowercased wire form */
	unsigned len;
	bool identity;
} chaos_names[] = {
	{ "\2id\6server", 11, true },
	{ "\10hostname\4bind", 15, true },
	{ "\7version\6server", 16, false },
	{ "\7version\4bind", 14, false },
};

void chaos_answer(struct answer_result *res, struct encoder *e, const struct chaos_config *c,
		  const struct wire_query *q)
{
	const struct chaos_txt *txt = NULL;
	size_t i;

	res->rcode = RCODE_REFUSED;
	res->aa = false;
	for (i = 0; i < sizeof(chaos_names) / sizeof(chaos_names[0]); i++) {
		if (!db_name_equal(q->lname, q->qname_len, (const uint8_t *)chaos_names[i].name,
				   chaos_names[i].len))
			continue;
		if (chaos_names[i].identity ? c->hide_identity : c->hide_version)
			return;
		txt = chaos_names[i].identity ? &c->identity : &c->version;
	}
	if (txt == NULL)
		return;
	res->rcode = RCODE_NOERROR;
	res->aa = true;
	if (q->qtype != DNS_TYPE_TXT && q->qtype != DNS_TYPE_ANY)
		return; /* NODATA: the name has TXT only */
	if (encode_rrset(e, SECTION_ANSWER, q->qname, q->qname_len, &txt->rrset, 0) != 0)
		res->tc = true;
}
