/* SPDX-License-Identifier: BSD-3-Clause */
/* query.c: one request in, one response out. Parses with wire.c, answers with answer.c,
 * writes the header, the question echo and the OPT record. No allocation, no ldns. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "acl.h"
#include "answer.h"
#include "query.h"
#include "secondary.h"
#include "zoneconf.h"

void query_init(struct query *q, const struct query_config *config)
{
	/* The scratch state is overwritten field by field for every query, so one
	 * zeroing here is all the reset it needs (NSD's query_reset idea). */
	memset(q, 0, sizeof(*q));
	q->config = config;
	q->rcode = RCODE_DISCARD;
	q->tsig_result = QUERY_TSIG_NONE;
}

/* The name errors count by when no zone is theirs (rrl.h). */
static const uint8_t root_name[] = { 0 };

/* NOTIMP for an opcode we do not implement: a bare header with the ID and opcode, every
 * other flag clear and all counts zero (tests/conformance.md, "Header and question"; ISC's opcodeflg test). */
static size_t bare_notimp(struct query *q, uint8_t *resp)
{
	memset(resp, 0, DNS_HEADER_SIZE);
	dns_write16(resp, q->req.id);
	dns_write16(resp + 2, DNS_FLAG_QR | (q->req.flags & 0x7800u) | RCODE_NOTIMP);
	q->rcode = RCODE_NOTIMP;
	q->resp_len = q->qend = q->opt_off = DNS_HEADER_SIZE;
	q->answer = (struct answer_result){
		.rcode = RCODE_NOTIMP, .ede = -1, .kind = ANSWER_ERROR,
		.name = root_name, .name_len = sizeof(root_name),
	};
	return DNS_HEADER_SIZE;
}

/* Refusals decided by the question alone, before any zone is consulted. */
static int check_question(const struct wire_query *req, enum query_transport transport)
{
	/* IN data from the zones, CH for the server's own names (chaos.c); nothing else. */
	if (req->qclass != DNS_CLASS_IN && req->qclass != DNS_CLASS_CH)
		return RCODE_REFUSED;
	switch (req->qtype) {
	case DNS_TYPE_OPT:
		/* A pseudo-type: meaningless as a question (RFC 6891 section 6.1.1). */
		return RCODE_FORMERR;
	case DNS_TYPE_AXFR:
		/* AXFR is a TCP exchange (RFC 5936 section 4.2): over UDP not implemented,
		 * as NSD answers. */
		return transport == QUERY_UDP ? RCODE_NOTIMP : RCODE_NOERROR;
	default:
		return RCODE_NOERROR;
	}
}

bool query_prefetch(const struct db *db, const uint8_t *req, size_t len, struct wire_qname *name,
		    struct db_hint *hint)
{
	/* A malformed name has nothing to prefetch: query_process() will say what is wrong. */
	if (!wire_peek_qname(name, req, len)) {
		hint->zone = NULL;
		return false;
	}
	db_prefetch(db, name->lname, name->label_off, name->labels, hint);
	return true;
}

/* True when the client is on the loopback (127.0.0.0/8, ::1, or ::ffff:127.0.0.0/104):
 * the only clients stats.dualns. answers. */
static bool client_is_loopback(const struct sockaddr *peer)
{
	if (peer == NULL)
		return false;
	if (peer->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)peer)->sin_addr.s_addr) >> 24) == 127;
	if (peer->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)peer)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* The COOKIE answer for a request that carried one (RFC 7873 section 5.2, RFC 9018
 * section 4.3) into out: the client cookie and either the request's own server cookie,
 * when it is valid and young, or a new one. Sets q->cookie_valid or q->cookie_bad.
 * Returns rc, or RCODE_BADCOOKIE when --require-cookie turns the request away: over UDP
 * only, a request that would be answered, without a valid server cookie. */
static int answer_cookie(struct query *q, const struct cookie_secrets *secrets,
			 const struct query_request *in, uint8_t out[COOKIE_ANSWER_SIZE], int rc)
{
	const struct edns_query *e = &q->req.edns;
	uint32_t now = q->config->cookie_clock != NULL ? q->config->cookie_clock()
						       : (uint32_t)time(NULL);
	enum cookie_verdict v = COOKIE_INVALID;

	memcpy(out, e->cookie_client, COOKIE_CLIENT_SIZE);
	if (e->cookie_server_len > 0)
		v = cookie_check(secrets, e->cookie_client, e->cookie_server,
				 e->cookie_server_len, now, in->peer);
	if (v == COOKIE_VALID)
		memcpy(out + COOKIE_CLIENT_SIZE, e->cookie_server, COOKIE_SERVER_SIZE);
	else
		cookie_mint(out + COOKIE_CLIENT_SIZE, secrets->key[0], e->cookie_client, now,
			    in->peer);
	q->cookie_valid = v != COOKIE_INVALID;
	q->cookie_bad = v == COOKIE_INVALID && e->cookie_server_len > 0;
	if (!q->cookie_valid && q->config->require_cookie && in->transport == QUERY_UDP &&
	    rc == RCODE_NOERROR)
		return RCODE_BADCOOKIE;
	return rc;
}

/* Verifies the request's TSIG (RFC 8945 section 5.2) with the db's keys. Returns rc,
 * FORMERR for a MAC of a size truncation does not allow (section 5.2.2.1), or NOTAUTH
 * when it fails otherwise. Sets q->tsig_*. */
static int verify_tsig(struct query *q, const struct db *db, const uint8_t *req, int rc)
{
	q->tsig_now = q->config->tsig_clock != NULL ? q->config->tsig_clock()
						    : (uint64_t)time(NULL);
	q->tsig_result = tsig_verify_request(&q->hmac, db != NULL ? db->tsig : NULL, req,
					     &q->req.tsig, q->tsig_now, &q->tsig_signer);
	if (q->tsig_result == RCODE_FORMERR)
		return RCODE_FORMERR;
	if (q->tsig_result != 0)
		return RCODE_NOTAUTH;
	q->tsig_key = q->tsig_signer;
	return rc;
}

/* The room the answer's TSIG takes (0 when it gets none), at most what is left of limit
 * after used bytes, so a long key name cannot push the encoder's limit below them. */
static size_t tsig_room(const struct query *q, const struct tsig_key *key, size_t limit,
			size_t used)
{
	const struct wire_tsig *t = &q->req.tsig;
	size_t room;

	if (q->tsig_result == QUERY_TSIG_NONE)
		return 0;
	if (key != NULL)
		room = tsig_reserve(key);
	else
		room = tsig_rr_size(t->key_name_len, t->alg_name_len, 0, 0);
	if (used >= limit)
		return 0;
	return used + room <= limit ? room : limit - used;
}

/* Signs the answer of q in resp when the request was signed (tsig.h: tsig_sign_answer).
 * An answer with no room for its TSIG leaves unsigned, which the client rejects. Returns
 * the answer's length. */
static size_t query_sign(struct query *q, uint8_t *resp)
{
	size_t n;

	if (q->tsig_result == QUERY_TSIG_NONE)
		return q->resp_len;
	if (tsig_sign_answer(&q->hmac, q->tsig_signer, &q->req.tsig, q->tsig_result, resp,
			     q->unsigned_len, q->resp_cap, q->tsig_now, &n) == 0)
		q->resp_len = n;
	return q->resp_len;
}

/* Writes the zone's SOA alone: the IXFR answer to a client as new as we are (RFC 1995
 * section 2), or one whose difference does not fit a datagram (section 2, as NSD). */
static void answer_soa_alone(struct answer_result *res, struct encoder *e, const struct zone *z)
{
	/* An SOA always fits: the question and one record are far below 512 bytes. */
	(void)encode_rrset(e, SECTION_ANSWER, z->origin, z->origin_len, z->soa, z->soa->ttl);
	res->aa = true;
}

/* An AXFR or IXFR request (RFC 5936 section 2.2.1, RFC 1995): NOTAUTH unless the qname is
 * the apex of a zone we serve, class IN; SERVFAIL for a zone that failed to load; REFUSED
 * with EDE 18 when the ACL says no. Then an IXFR from a client as new as we are gets our
 * SOA alone, and over UDP the difference when it fits the datagram (else the SOA alone:
 * never a whole zone over UDP). What is left, over TCP, is for the connection to run
 * (q->xfr): the answer here is the bare header and question. */
static void answer_transfer(struct query *q, struct answer_result *res, const struct db *db,
			    const struct query_request *in)
{
	const struct wire_query *w = &q->req;
	const struct zone *z = NULL;
	const struct journal_delta *delta = NULL;
	enum dns_serial_order order;
	size_t mark_len;
	uint16_t mark_comp;

	if (w->qclass == DNS_CLASS_IN && db != NULL)
		z = db_find_origin(db, w->lname, w->qname_len);
	if (z == NULL) {
		res->rcode = RCODE_NOTAUTH;
		return;
	}
	res->name = z->origin;
	res->name_len = z->origin_len;
	if (!z->ok) {
		res->rcode = RCODE_SERVFAIL;
		res->ede = EDE_NOT_READY;
		return;
	}
	/* An entry with a key matches only requests signed with it (verified: q->tsig_key). */
	if (!acl_allows(db_transfer_acl(db, z), in->peer,
			q->tsig_key != NULL ? q->tsig_key->name : NULL, ACL_TRANSFER)) {
		res->rcode = RCODE_REFUSED;
		res->ede = EDE_PROHIBITED;
		q->xfr_refused = true;
		return;
	}
	res->kind = ANSWER_POSITIVE;
	if (w->qtype == DNS_TYPE_IXFR) {
		/* RFC 1995 section 2, serials compared as RFC 1982 says. */
		order = dns_serial_compare(w->ixfr_serial, z->serial);
		if (order == DNS_SERIAL_EQUAL || order == DNS_SERIAL_GREATER) {
			answer_soa_alone(res, &q->enc, z);
			return;
		}
		delta = journal_find(z->journal, w->ixfr_serial);
		if (in->transport == QUERY_UDP) {
			mark_len = q->enc.len;
			mark_comp = q->enc.comp_count;
			if (delta != NULL) {
				xfrout_init(&q->xfr_udp, z, delta, XFROUT_IXFR);
				if (xfrout_fill(&q->xfr_udp, &q->enc)) {
					res->aa = true;
					q->ixfr_udp = true;
					return;
				}
			}
			q->enc.len = mark_len;
			q->enc.comp_count = mark_comp;
			q->enc.count[SECTION_ANSWER] = 0;
			answer_soa_alone(res, &q->enc, z);
			return;
		}
	}
	res->aa = true;
	q->xfr = (struct xfrout_request){
		.zone = z,
		.delta = delta,
		.kind = w->qtype == DNS_TYPE_AXFR ? XFROUT_AXFR : XFROUT_IXFR,
		.udp_size = q->config->udp_size,
		.key = q->tsig_key,
	};
}

/* A NOTIFY (RFC 1996 section 3): for a secondary zone of ours (else NOTAUTH), from an
 * address and key its notify ACL allows (else REFUSED with EDE 18), answered at once with
 * AA and the question; the main loop is told to refresh the zone (secondary_notify never
 * blocks). */
static void answer_notify(struct query *q, struct answer_result *res, const struct db *db,
			  const struct query_request *in)
{
	const struct wire_query *w = &q->req;
	const struct zoneconf_zone *zz = NULL;

	if (w->qclass != DNS_CLASS_IN || w->qtype != DNS_TYPE_SOA) {
		res->rcode = RCODE_FORMERR; /* RFC 1996 section 3.7: QTYPE SOA, the zone's class */
		return;
	}
	if (db != NULL && db_find_origin(db, w->lname, w->qname_len) != NULL)
		zz = zoneconf_find(db->zoneconf, w->lname, w->qname_len);
	if (zz == NULL || zz->primary_count == 0 || db->secondary == NULL) {
		res->rcode = RCODE_NOTAUTH;
		return;
	}
	if (!acl_allows(zz->notify_in, in->peer, q->tsig_key != NULL ? q->tsig_key->name : NULL,
			ACL_NOTIFY)) {
		res->rcode = RCODE_REFUSED;
		res->ede = EDE_PROHIBITED;
		return;
	}
	secondary_notify(db->secondary, w->lname, w->qname_len);
	res->aa = true;
}

size_t query_process(struct query *q, const struct db *db, const struct query_request *in,
		     uint8_t *resp, size_t resp_cap)
{
	const enum query_transport transport = in->transport;
	const uint8_t *req = in->wire;
	struct wire_query *w = &q->req;
	struct answer_result res = {
		.rcode = RCODE_NOERROR, .ede = -1, .kind = ANSWER_ERROR,
		.name = root_name, .name_len = sizeof(root_name),
	};
	struct edns_answer opt = {
		.server_size = q->config->udp_size,
		.nsid = q->config->nsid,
		.nsid_len = q->config->nsid_len,
		.ede = -1,
	};
	uint8_t cookie[COOKIE_ANSWER_SIZE];
	size_t limit, opt_size, qend;
	unsigned flags;
	bool malformed;
	int rc;

	q->tc = false;
	q->cookie_valid = false;
	q->cookie_bad = false;
	q->resp_len = 0;
	q->resp_cap = resp_cap;
	q->tsig_result = QUERY_TSIG_NONE;
	q->tsig_key = NULL;
	q->tsig_signer = NULL;
	q->xfr.zone = NULL;
	q->xfr_refused = false;
	q->ixfr_udp = false;
	rc = wire_parse_query_peeked(w, req, in->len, in->peek);
	q->rcode = rc;
	if (rc == RCODE_DISCARD)
		return 0;
	if (rc == RCODE_NOTIMP)
		return bare_notimp(q, resp);
	malformed = rc == RCODE_FORMERR;
	/* Before answering: a request that fails gets only the error (RFC 8945 section 5.2). */
	if (w->tsig.present && !malformed)
		rc = verify_tsig(q, db, req, rc);

	limit = transport == QUERY_UDP ? edns_udp_limit(&w->edns, q->config->udp_size) : DNS_MSG_MAX;
	if (limit > resp_cap)
		limit = resp_cap;
	/* edns-tcp-keepalive is answered over TCP only (RFC 7828 section 3.3.2), in units
	 * of 100 ms, capped at what the 16-bit field holds. */
	if (transport == QUERY_TCP)
		opt.keepalive = (uint16_t)(in->tcp_idle_ms / 100 > 0xffff ? 0xffff
					   : in->tcp_idle_ms / 100);
	/* A request with a COOKIE gets one back, whatever the answer (RFC 7873 section 5.2);
	 * not when the request did not parse, as its options may be half read. A FORMERR
	 * for its TSIG's MAC size comes after a whole parse: that one gets it, as in BIND 9. */
	if (w->edns.cookie_client != NULL && !malformed && db != NULL &&
	    db->cookies.count > 0) {
		rc = answer_cookie(q, &db->cookies, in, cookie, rc);
		opt.cookie = cookie;
	}
	/* The question is echoed byte for byte, case included (0x20 bit, RFC 5452). */
	qend = DNS_HEADER_SIZE + (w->question_ok ? w->question_len : 0);
	/* Room for the OPT is kept before answering. An EDE is not counted: it comes only
	 * with a SERVFAIL that carries no records, far below any limit. */
	opt_size = w->edns.present ? edns_opt_size(&w->edns, &opt) : 0;
	if (opt_size > 0 && opt.nsid != NULL) {
		/* Except beside a long NSID: a 255-byte question, the NSID and an EDE can pass
		 * 512. The NSID is optional (RFC 5001 section 2.3: a server "chooses to
		 * honor" the request), the limit is not: leave the NSID out. */
		struct edns_answer worst = opt;

		worst.ede = 0;
		if (qend + edns_opt_size(&w->edns, &worst) > limit) {
			opt.nsid = NULL;
			opt.nsid_len = 0;
			opt_size = edns_opt_size(&w->edns, &opt);
		}
	}
	/* The TSIG is the last record, after the OPT; its room is kept too, so a truncated
	 * answer is still signed (RFC 8945 section 5.3). */
	opt_size += tsig_room(q, q->tsig_signer, limit, qend + opt_size);
	memcpy(resp + DNS_HEADER_SIZE, req + DNS_HEADER_SIZE, qend - DNS_HEADER_SIZE);
	encode_init(&q->enc, resp, qend, limit - opt_size, w->question_ok ? w->qname : NULL);

	if (rc == RCODE_NOERROR)
		rc = check_question(w, transport);
	/* --force-tc: an empty TC=1 answer for a fallback demonstration without big zones,
	 * like Knot's noudp module. Only well-formed queries, so errors stay visible. */
	if (rc == RCODE_NOERROR && transport == QUERY_UDP && q->config->force_tc > 0 &&
	    ++q->udp_answers % q->config->force_tc == 0) {
		res.tc = true;
		res.aa = true;
	} else if (rc == RCODE_NOERROR) {
		res.kind = ANSWER_POSITIVE;
		res.name = w->lname;
		res.name_len = w->qname_len;
		if (DNS_OPCODE(w->flags) == DNS_OPCODE_NOTIFY)
			answer_notify(q, &res, db, in);
		else if (w->qtype == DNS_TYPE_AXFR || w->qtype == DNS_TYPE_IXFR)
			answer_transfer(q, &res, db, in);
		else if (w->qclass == DNS_CLASS_CH)
			chaos_answer(&res, &q->enc, &q->config->chaos, w,
				     client_is_loopback(in->peer), &q->stats_txt);
		else
			answer_query(&res, &q->enc, db, w, in->hint);
		rc = res.rcode;
		opt.ede = res.ede;
	}
	/* QR set; ID, opcode and RD copied; AA when the data is ours; RA, Z, AD, CD clear. */
	flags = DNS_FLAG_QR | (w->flags & (0x7800u | DNS_FLAG_RD)) | ((unsigned)rc & 0xf);
	if (res.aa)
		flags |= DNS_FLAG_AA;
	dns_write16(resp, w->id);
	dns_write16(resp + 2, flags);
	dns_write16(resp + 4, w->question_ok ? 1 : 0);
	dns_write16(resp + 6, q->enc.count[SECTION_ANSWER]);
	dns_write16(resp + 8, q->enc.count[SECTION_AUTHORITY]);
	dns_write16(resp + 10, q->enc.count[SECTION_ADDITIONAL] + (w->edns.present ? 1 : 0));
	q->opt_off = q->enc.len;
	if (w->edns.present)
		q->enc.len += edns_write_opt(resp + q->enc.len, &w->edns, &opt, rc);

	q->rcode = rc;
	q->tc = false;
	q->resp_len = q->unsigned_len = q->enc.len;
	q->qend = qend;
	q->answer = res;
	/* A required RRset did not fit: the bare form. */
	if (res.tc)
		return query_truncate(q, resp);
	return query_sign(q, resp);
}

size_t query_truncate(struct query *q, uint8_t *resp)
{
	size_t opt_len = q->unsigned_len - q->opt_off;

	memmove(resp + q->qend, resp + q->opt_off, opt_len);
	dns_write16(resp + 2, dns_read16(resp + 2) | DNS_FLAG_TC);
	dns_write16(resp + 6, 0);
	dns_write16(resp + 8, 0);
	dns_write16(resp + 10, opt_len > 0 ? 1 : 0);
	q->tc = true;
	q->resp_len = q->unsigned_len = q->qend + opt_len;
	return query_sign(q, resp);
}

static const char *rcode_name(int rcode)
{
	switch (rcode) {
	case RCODE_DISCARD: return "DROPPED";
	case RCODE_NOERROR: return "NOERROR";
	case RCODE_FORMERR: return "FORMERR";
	case RCODE_SERVFAIL: return "SERVFAIL";
	case RCODE_NXDOMAIN: return "NXDOMAIN";
	case RCODE_NOTIMP: return "NOTIMP";
	case RCODE_REFUSED: return "REFUSED";
	case RCODE_YXDOMAIN: return "YXDOMAIN";
	case RCODE_NOTAUTH: return "NOTAUTH";
	case RCODE_BADVERS: return "BADVERS";
	case RCODE_BADCOOKIE: return "BADCOOKIE";
	default: return "RCODE?";
	}
}

/* The qname in presentation form, escaping what is not printable (RFC 4343 section 2.1). */
static void format_name(const struct wire_query *w, char *out, size_t size)
{
	if (w->qname_len == 0) {
		snprintf(out, size, ".");
		return;
	}
	wire_name_format(w->qname, out, size);
}

/* Mnemonics for the types operators read in a log; the rest as TYPEnnn (RFC 3597). */
static void format_type(uint16_t type, char *out, size_t size)
{
	static const struct {
		uint16_t type;
		const char *name;
	} names[] = {
		{ DNS_TYPE_A, "A" }, { DNS_TYPE_NS, "NS" }, { DNS_TYPE_CNAME, "CNAME" },
		{ DNS_TYPE_SOA, "SOA" }, { DNS_TYPE_PTR, "PTR" }, { DNS_TYPE_MX, "MX" },
		{ DNS_TYPE_TXT, "TXT" }, { DNS_TYPE_AAAA, "AAAA" }, { DNS_TYPE_SRV, "SRV" },
		{ DNS_TYPE_DNAME, "DNAME" }, { DNS_TYPE_OPT, "OPT" }, { DNS_TYPE_DS, "DS" },
		{ DNS_TYPE_RRSIG, "RRSIG" }, { DNS_TYPE_NSEC, "NSEC" }, { 48, "DNSKEY" },
		{ 64, "SVCB" }, { 65, "HTTPS" }, { 257, "CAA" }, { DNS_TYPE_IXFR, "IXFR" },
		{ DNS_TYPE_AXFR, "AXFR" }, { DNS_TYPE_ANY, "ANY" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].type == type) {
			snprintf(out, size, "%s", names[i].name);
			return;
		}
	}
	snprintf(out, size, "TYPE%u", type);
}

int query_format_log(const struct query *q, char *buf, size_t len)
{
	char name[DNS_MAX_NAME * 4 + 1], type[16], cls[16], tsig[16] = "";

	if (q->tsig_result != QUERY_TSIG_NONE)
		snprintf(tsig, sizeof(tsig), q->tsig_result == 0 ? " %s" : " TSIG:%s",
			 tsig_error_name(q->tsig_result));
	if (!q->req.question_ok)
		return snprintf(buf, len, "- - - %s %zu%s%s", rcode_name(q->rcode), q->resp_len,
				q->tc ? " TC" : "", tsig);
	format_name(&q->req, name, sizeof(name));
	format_type(q->req.qtype, type, sizeof(type));
	if (q->req.qclass == DNS_CLASS_IN || q->req.qclass == DNS_CLASS_CH)
		snprintf(cls, sizeof(cls), "%s", q->req.qclass == DNS_CLASS_IN ? "IN" : "CH");
	else
		snprintf(cls, sizeof(cls), "CLASS%u", q->req.qclass);
	return snprintf(buf, len, "%s %s %s %s %zu%s%s", name, cls, type, rcode_name(q->rcode),
			q->resp_len, q->tc ? " TC" : "", tsig);
}
