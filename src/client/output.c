/* SPDX-License-Identifier: BSD-3-Clause */
/* output.c: turn the recorded legs into dualq's text trace, JSON document or +short lines. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>

#include <jansson.h>
#include <ldns/ldns.h>

#include "client/cookie.h"
#include "client/output.h"
#include "client/sigcount.h"
#include "client/udplimit.h"

const struct leg *output_final_leg(const struct exchange *ex)
{
	for (size_t i = ex->nlegs; i > 0; i--)
		if (ex->legs[i - 1].reply != NULL)
			return &ex->legs[i - 1];
	return NULL;
}

/* NSID bytes as text when printable, else as hex (RFC 5001 section 2.3: opaque). */
static void nsid_str(char *buf, size_t buflen, const struct msg_view *v, bool *printable)
{
	*printable = v->nsid_len > 0;
	for (size_t i = 0; i < v->nsid_len; i++)
		if (!isprint(v->nsid[i]))
			*printable = false;
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < v->nsid_len && o + 3 < buflen; i++) {
		if (*printable)
			buf[o++] = (char)v->nsid[i];
		else
			o += (size_t)snprintf(buf + o, buflen - o, "%02x", v->nsid[i]);
	}
	buf[o] = '\0';
}

static void flags_str(char *buf, size_t buflen, uint16_t flags)
{
	static const struct { uint16_t bit; const char *name; } bits[] = {
		{ DNS_FLAG_QR, "qr" }, { DNS_FLAG_AA, "aa" }, { DNS_FLAG_TC, "tc" },
		{ DNS_FLAG_RD, "rd" }, { DNS_FLAG_RA, "ra" }, { DNS_FLAG_Z, "z" },
		{ DNS_FLAG_AD, "ad" }, { DNS_FLAG_CD, "cd" },
	};
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if ((flags & bits[i].bit) && o + 4 < buflen)
			o += (size_t)snprintf(buf + o, buflen - o, "%s%s", o ? " " : "", bits[i].name);
}

static const char *err_text(int err)
{
	switch (err) {
	case -ETIMEDOUT:
		return "no reply";
	case -ECONNREFUSED:
		return "connection refused";
	case -ECONNRESET:
		return "connection closed before the whole reply";
	default:
		return strerror(-err);
	}
}

static uint16_t server_port(const struct exchange *ex)
{
	const struct sockaddr_storage *ss = &ex->server;
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

/* The COOKIE a leg sent and the one its reply carried (RFC 7873, RFC 9018), one line;
 * nothing when the query sent none. */
static void trace_cookie(FILE *f, const struct leg *l, const struct msg_view *v)
{
	const char *proto = l->tcp ? "tcp" : "udp";
	char hex[COOKIE_HEX_MAX], when[COOKIE_TIME_MAX];
	struct msg_view q;

	if (msg_parse(&q, l->query, l->query_len) < 0 || !q.has_cookie)
		return;
	cookie_hex(hex, sizeof(hex), q.cookie, q.cookie_len);
	fprintf(f, ";; %s  cookie sent %s", proto, hex);
	if (!v->has_cookie) {
		fprintf(f, "; reply: no COOKIE\n");
		return;
	}
	size_t keep = v->cookie_len < MSG_COOKIE_MAX ? v->cookie_len : MSG_COOKIE_MAX;
	if (keep < COOKIE_CLIENT_SIZE) {
		cookie_hex(hex, sizeof(hex), v->cookie, keep);
		fprintf(f, "; reply: COOKIE of %zu bytes %s\n", v->cookie_len, hex);
		return;
	}
	cookie_hex(hex, sizeof(hex), v->cookie, COOKIE_CLIENT_SIZE);
	fprintf(f, "; reply: client %s (%s)", hex,
		memcmp(v->cookie, q.cookie, COOKIE_CLIENT_SIZE) == 0 ? "echoed" : "NOT the one sent");
	if (keep == COOKIE_CLIENT_SIZE) {
		fprintf(f, ", no server cookie\n");
		return;
	}
	struct cookie_v1 c;
	cookie_hex(hex, sizeof(hex), v->cookie + COOKIE_CLIENT_SIZE, keep - COOKIE_CLIENT_SIZE);
	fprintf(f, ", server %s (%zu B", hex, v->cookie_len - COOKIE_CLIENT_SIZE);
	cookie_v1_read(&c, v->cookie + COOKIE_CLIENT_SIZE, keep - COOKIE_CLIENT_SIZE, time(NULL));
	if (c.is_v1) {
		cookie_time_str(when, sizeof(when), c.timestamp);
		fprintf(f, ", RFC 9018 version %u, timestamp %s, age %lld s", c.version, when, c.age);
	}
	fprintf(f, ")\n");
}

static void trace_leg(FILE *f, const struct dualq_options *opt, const struct exchange_query *q,
		      const struct leg *l)
{
	char local[EXCHANGE_ADDR_STR_MAX], remote[EXCHANGE_ADDR_STR_MAX], fl[40], rc[16], nsid[2 * MSG_NSID_MAX + 1];
	const char *proto = l->tcp ? "tcp" : "udp";
	struct msg_view v;

	exchange_addr_str(remote, sizeof(remote), &l->remote);
	if (!l->tcp) {
		/* Each UDP try that went unanswered gets a line: the port changed each time. */
		for (unsigned i = 0; i < l->ntries; i++) {
			const struct exchange_try *t = &l->tries[i];
			if (t->err == 0)
				break;
			exchange_addr_str(local, sizeof(local), &t->local);
			if (t->err == -ETIMEDOUT)
				fprintf(f, ";; udp  %s -> %s   %zu B sent, no reply in %u ms (try %u of %u, id %u)\n",
					local, remote, l->query_len, opt->timeout_ms, i + 1, opt->tries, t->id);
			else if (t->err == -ECONNREFUSED)
				fprintf(f, ";; udp  %s -> %s   %zu B sent, ICMP port unreachable: nothing listens there\n",
					local, remote, l->query_len);
			else
				fprintf(f, ";; udp  %s -> %s   %s\n", local, remote, err_text(t->err));
		}
	}
	if (l->reply == NULL) {
		if (l->tcp) {
			exchange_addr_str(local, sizeof(local), &l->local);
			fprintf(f, ";; tcp  %s -> %s   ", local, remote);
			if (l->connected)
				fprintf(f, "%zu B sent (connect %.2f ms), ", l->bytes_sent, l->connect_ms);
			fprintf(f, "%s failed: %s", l->err_stage ? l->err_stage : "exchange",
				err_text(l->err));
			if (l->err == -ETIMEDOUT)
				fprintf(f, " in %u ms", l->timeout_ms);
			fputc('\n', f);
		}
		return;
	}
	exchange_addr_str(local, sizeof(local), &l->local);
	fprintf(f, ";; %s  %s -> %s   %zu B sent, %zu B back in %.2f ms", proto, local, remote,
		l->bytes_sent, l->bytes_received, l->rtt_ms);
	if (l->tcp)
		fprintf(f, " (connect %.2f ms)", l->connect_ms);
	if (msg_parse(&v, l->reply, l->reply_len) < 0) {
		fprintf(f, "   unreadable reply\n");
		return;
	}
	flags_str(fl, sizeof(fl), v.flags);
	msg_rcode_str(rc, sizeof(rc), msg_rcode(&v));
	/* Counts as dig's sections show them: the OPT pseudo-record is not data. */
	fprintf(f, "   %s  %s %u/%u/%u", fl, rc, v.count[1], v.count[2],
		v.count[3] - (v.opt_count && v.count[3] >= v.opt_count ? v.opt_count : 0));
	if (v.has_opt)
		fprintf(f, "  edns %u v%u%s", v.opt_udp_size, v.opt_version, v.opt_do ? " do" : "");
	fprintf(f, "  id %u", v.id);
	if (opt->nsid) {
		bool printable;
		nsid_str(nsid, sizeof(nsid), &v, &printable);
		if (!v.has_nsid)
			fprintf(f, "  nsid none");
		else
			fprintf(f, printable ? "  nsid \"%s\"" : "  nsid %s", nsid);
	}
	fputc('\n', f);
	if (l->mismatched)
		fprintf(f, ";; %s  %s %u reply%s that did not match (%s): RFC 5452 section 9.1\n", proto,
			l->tcp ? "got" : "ignored", l->mismatched, l->mismatched == 1 ? "" : "s",
			l->mismatch_why);
	if (!l->tcp && l->icmp_refused)
		fprintf(f, ";; udp  ignored %u ICMP port unreachable%s: a real reply followed (RFC 5927)\n",
			l->icmp_refused, l->icmp_refused == 1 ? "" : "s");
	trace_cookie(f, l, &v);
	struct sigcount c;
	if (q->dnssec && sigcount_count(&c, l->reply, l->reply_len) == 0)
		fprintf(f, ";; %s  dnssec: %u RRSIG, %u NSEC, %u NSEC3%s\n", proto, c.rrsig, c.nsec,
			c.nsec3, (v.flags & DNS_FLAG_TC) ? " (truncated: not judged)" : "");
	if (!l->tcp) {
		/* The limit the answer was held to, and whose it was (RFC 6891 section 6.2.5). */
		struct udplimit lim;
		char why[UDPLIMIT_TEXT_MAX];
		udplimit_of(&lim, q, &v);
		udplimit_str(why, sizeof(why), &lim);
		fprintf(f, ";; udp  limit: %s\n", why);
	}
}

/* RDATA fields in presentation form, separated by spaces. Caller frees. */
static char *rdata_str(const ldns_rr *rr)
{
	ldns_buffer *b = ldns_buffer_new(256);
	char *s;

	if (b == NULL)
		return NULL;
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
		if (i > 0)
			ldns_buffer_printf(b, " ");
		ldns_rdf2buffer_str(b, ldns_rr_rdf(rr, i));
	}
	s = ldns_buffer_export2str(b);
	ldns_buffer_free(b);
	return s;
}

static ldns_pkt *final_pkt(const struct exchange *ex, ldns_status *st)
{
	const struct leg *l = output_final_leg(ex);
	ldns_pkt *pkt = NULL;

	*st = LDNS_STATUS_ERR;
	if (l == NULL)
		return NULL;
	*st = ldns_wire2pkt(&pkt, l->reply, l->reply_len);
	return *st == LDNS_STATUS_OK ? pkt : NULL;
}

static void print_section(FILE *f, const char *title, const ldns_rr_list *list, bool question)
{
	if (list == NULL || ldns_rr_list_rr_count(list) == 0)
		return;
	fprintf(f, ";; %s SECTION:\n", title);
	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++) {
		char *s = ldns_rr2str(ldns_rr_list_rr(list, i));
		if (s != NULL)
			fprintf(f, "%s%s", question ? ";" : "", s);
		free(s);
	}
	fputc('\n', f);
}

void output_text(FILE *f, const struct dualq_options *opt, const char *server,
		 const struct exchange *ex, const struct verdicts *vd)
{
	uint16_t port = server_port(ex);
	char rs[EXCHANGE_ADDR_STR_MAX];

	for (size_t i = 0; i < ex->nlegs; i++) {
		const struct leg *l = &ex->legs[i];
		if (l->badcookie_retry)
			fprintf(f, ";; badcookie: retrying over udp with the server cookie it sent "
				"(RFC 7873 section 5.3)\n");
		if (l->tcp && i > 0) {
			if (ex->why_tcp == EXCHANGE_TCP_BADCOOKIE)
				fprintf(f, ";; badcookie again: retrying over tcp to the same port %u "
					"(RFC 7873 section 5.3)\n", port);
			else if (ex->why_tcp == EXCHANGE_TCP_TC)
				fprintf(f, ";; truncated: retrying over tcp to the same port %u\n", port);
			else if (ex->why_tcp == EXCHANGE_TCP_COMPARE)
				fprintf(f, ";; +compare: asking again over tcp on the same port %u\n", port);
		}
		trace_leg(f, opt, &ex->q, l);
	}
	/* The last UDP leg and the TCP leg, when both were answered. */
	const struct leg *lu_leg = NULL, *lt_leg = NULL;
	for (size_t i = 0; i < ex->nlegs; i++) {
		if (ex->legs[i].tcp)
			lt_leg = &ex->legs[i];
		else
			lu_leg = &ex->legs[i];
	}
	if (lu_leg != NULL && lt_leg != NULL && lu_leg->reply != NULL && lt_leg->reply != NULL) {
		char lu[EXCHANGE_ADDR_STR_MAX], lt[EXCHANGE_ADDR_STR_MAX];
		exchange_addr_str(rs, sizeof(rs), &ex->server);
		exchange_addr_str(lu, sizeof(lu), &lu_leg->local);
		exchange_addr_str(lt, sizeof(lt), &lt_leg->local);
		fprintf(f, ";; same server port: udp and tcp both reached %s (one port number, two "
			"protocols); local udp %s, tcp %s\n", rs, lu, lt);
	}
	if (vd->n > 0) {
		fprintf(f, ";; verdicts:\n");
		for (size_t i = 0; i < vd->n; i++)
			fprintf(f, ";;   %-4s  %s: %s\n",
				!vd->v[i].ok ? "FAIL" : vd->v[i].note ? "note" : "ok", vd->v[i].rfc,
				vd->v[i].check);
	}

	if (vd->validated != VALIDATE_NONE)
		fprintf(f, ";; validated: %s\n", vd->validated == VALIDATE_SECURE ? "secure"
			: "bogus (the FAIL verdicts say which signature or proof, and why)");

	const struct leg *l = output_final_leg(ex);
	if (l == NULL)
		return;
	ldns_status st;
	ldns_pkt *pkt = final_pkt(ex, &st);
	fputc('\n', f);
	if (pkt == NULL) {
		fprintf(f, ";; the %s reply could not be parsed by ldns: %s\n", l->tcp ? "tcp" : "udp",
			ldns_get_errorstr_by_id(st));
		return;
	}
	struct msg_view v;
	char rc[16], fl[40];
	msg_parse(&v, l->reply, l->reply_len);
	msg_rcode_str(rc, sizeof(rc), msg_rcode(&v));
	flags_str(fl, sizeof(fl), v.flags);
	fprintf(f, ";; ->>HEADER<<- opcode: QUERY, status: %s, id: %u (from the %s leg)\n", rc, v.id,
		l->tcp ? "tcp" : "udp");
	fprintf(f, ";; flags: %s; QUERY: %u, ANSWER: %u, AUTHORITY: %u, ADDITIONAL: %u\n\n", fl,
		v.count[0], v.count[1], v.count[2], v.count[3]);
	if (v.has_opt) {
		fprintf(f, ";; OPT PSEUDOSECTION:\n; EDNS: version: %u, flags:%s; udp: %u\n",
			v.opt_version, v.opt_do ? " do" : "", v.opt_udp_size);
		if (v.has_nsid) {
			char nsid[2 * MSG_NSID_MAX + 1];
			bool printable;
			nsid_str(nsid, sizeof(nsid), &v, &printable);
			fprintf(f, printable ? "; NSID: \"%s\"\n" : "; NSID: %s\n", nsid);
		}
		if (v.has_cookie) {
			char hex[COOKIE_HEX_MAX];
			cookie_hex(hex, sizeof(hex), v.cookie,
				   v.cookie_len < MSG_COOKIE_MAX ? v.cookie_len : MSG_COOKIE_MAX);
			fprintf(f, "; COOKIE: %s\n", hex);
		}
		fputc('\n', f);
	}
	print_section(f, "QUESTION", ldns_pkt_question(pkt), true);
	print_section(f, "ANSWER", ldns_pkt_answer(pkt), false);
	print_section(f, "AUTHORITY", ldns_pkt_authority(pkt), false);
	print_section(f, "ADDITIONAL", ldns_pkt_additional(pkt), false);
	exchange_addr_str(rs, sizeof(rs), &ex->server);
	fprintf(f, ";; SERVER: %s (%s) over %s, MSG SIZE rcvd: %zu\n", rs, server,
		l->tcp ? "TCP" : "UDP", l->reply_len);
	ldns_pkt_free(pkt);
}

/* JSON: the document is built with jansson and written in one go, so every string is
 * escaped by the library (RFC 8259 section 7) and the output is always well formed. A
 * failed allocation anywhere makes the whole document fail: each helper below takes a
 * sticky ok flag and passes NULL through, which jansson's setters accept. */

/* Decimal places kept for the millisecond times: one microsecond. */
#define DOC_MS_SCALE 1000.0
/* Significant digits for the times: enough for any round-trip at microsecond precision,
 * few enough that a rounded value prints as it was rounded. */
#define DOC_REAL_DIGITS 15
/* "\DDD": one byte in the presentation format's decimal escape. */
#define DOC_DDD_SIZE 4
/* One line, ", " and ": " between items; anything beyond ASCII as \uXXXX. */
#define DOC_DUMP_FLAGS (JSON_ENSURE_ASCII | JSON_REAL_PRECISION(DOC_REAL_DIGITS))

static void doc_put(json_t *obj, const char *key, json_t *value, bool *ok)
{
	/* json_object_set_new takes value in every case, freeing it when it fails. */
	if (value == NULL || json_object_set_new(obj, key, value) != 0)
		*ok = false;
}

static void doc_add(json_t *array, json_t *value, bool *ok)
{
	if (value == NULL || json_array_append_new(array, value) != 0)
		*ok = false;
}

/* s as a JSON string. Names and RDATA arrive in presentation form, already ASCII; text
 * from elsewhere (the server argument) that is not UTF-8 has its bytes from 0x80 up
 * written \DDD, as the presentation format writes them (RFC 1035 section 5.1).
 * Returns NULL only when out of memory. */
static json_t *doc_text(const char *s)
{
	json_t *j = json_string(s);
	size_t len = strlen(s), o = 0;
	char *esc;

	if (j != NULL)
		return j;
	esc = malloc(DOC_DDD_SIZE * len + 1);
	if (esc == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p >= 0x80)
			o += (size_t)snprintf(esc + o, DOC_DDD_SIZE + 1, "\\%03u", *p);
		else
			esc[o++] = (char)*p;
	}
	esc[o] = '\0';
	j = json_string(esc);
	free(esc);
	return j;
}

/* Milliseconds rounded to the microsecond: times are never negative. */
static json_t *doc_ms(double ms)
{
	return json_real((double)(long long)(ms * DOC_MS_SCALE + 0.5) / DOC_MS_SCALE);
}

/* A string ldns allocated, as JSON; frees it. "" when ldns gave NULL. */
static json_t *doc_take(char *s)
{
	json_t *j = doc_text(s != NULL ? s : "");

	free(s);
	return j;
}

static json_t *doc_rr_list(const ldns_rr_list *list, bool *ok)
{
	json_t *a = json_array();

	for (size_t i = 0; list != NULL && i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);
		json_t *o = json_object();

		doc_put(o, "name", doc_take(ldns_rdf2str(ldns_rr_owner(rr))), ok);
		doc_put(o, "ttl", json_integer(ldns_rr_ttl(rr)), ok);
		doc_put(o, "class", doc_take(ldns_rr_class2str(ldns_rr_get_class(rr))), ok);
		doc_put(o, "type", doc_take(ldns_rr_type2str(ldns_rr_get_type(rr))), ok);
		doc_put(o, "rdata", doc_take(rdata_str(rr)), ok);
		doc_add(a, o, ok);
	}
	if (a == NULL)
		*ok = false;
	return a;
}

/* "ip:port", or null for a socket that never got an address. */
static json_t *doc_addr(const struct sockaddr_storage *ss)
{
	char buf[EXCHANGE_ADDR_STR_MAX];

	if (!exchange_addr_known(ss))
		return json_null();
	exchange_addr_str(buf, sizeof(buf), ss);
	return doc_text(buf);
}

/* The UDP size limit of a UDP reply and what it was told from; null for TCP. */
static json_t *doc_udp_limit(const struct exchange_query *q, const struct leg *l,
			     const struct msg_view *v, bool *ok)
{
	struct udplimit lim;
	json_t *o;

	if (l->tcp)
		return json_null();
	udplimit_of(&lim, q, v);
	o = json_object();
	doc_put(o, "bytes", json_integer((json_int_t)lim.bytes), ok);
	doc_put(o, "source", json_string(udplimit_source_name(lim.source)), ok);
	doc_put(o, "advertised", lim.edns ? json_integer(lim.advertised) : json_null(), ok);
	doc_put(o, "server", lim.server_opt ? json_integer(lim.server) : json_null(), ok);
	return o;
}

/* The COOKIE a leg's query sent, as hex, or null. */
static json_t *doc_cookie_sent(const struct leg *l)
{
	char hex[COOKIE_HEX_MAX];
	struct msg_view q;

	if (msg_parse(&q, l->query, l->query_len) < 0 || !q.has_cookie)
		return json_null();
	cookie_hex(hex, sizeof(hex), q.cookie, q.cookie_len);
	return json_string(hex);
}

/* The COOKIE of a reply (RFC 7873, RFC 9018), or null when it has none. */
static json_t *doc_cookie(const struct leg *l, const struct msg_view *v, bool *ok)
{
	char hex[COOKIE_HEX_MAX], when[COOKIE_TIME_MAX];
	struct msg_view q;
	struct cookie_v1 c;
	json_t *o;

	if (!v->has_cookie)
		return json_null();
	bool sent = msg_parse(&q, l->query, l->query_len) == 0 && q.has_cookie;
	size_t keep = v->cookie_len < MSG_COOKIE_MAX ? v->cookie_len : MSG_COOKIE_MAX;
	size_t client = keep < COOKIE_CLIENT_SIZE ? keep : COOKIE_CLIENT_SIZE;
	o = json_object();
	doc_put(o, "length", json_integer((json_int_t)v->cookie_len), ok);
	cookie_hex(hex, sizeof(hex), v->cookie, client);
	doc_put(o, "client", json_string(hex), ok);
	doc_put(o, "client_echoed", json_boolean(sent && client == COOKIE_CLIENT_SIZE &&
						 q.cookie_len >= COOKIE_CLIENT_SIZE &&
						 memcmp(v->cookie, q.cookie, COOKIE_CLIENT_SIZE) == 0), ok);
	if (keep <= COOKIE_CLIENT_SIZE) {
		doc_put(o, "server", json_null(), ok);
		doc_put(o, "version", json_null(), ok);
		doc_put(o, "timestamp", json_null(), ok);
		doc_put(o, "timestamp_utc", json_null(), ok);
		doc_put(o, "age_s", json_null(), ok);
		return o;
	}
	cookie_hex(hex, sizeof(hex), v->cookie + COOKIE_CLIENT_SIZE, keep - COOKIE_CLIENT_SIZE);
	doc_put(o, "server", json_string(hex), ok);
	cookie_v1_read(&c, v->cookie + COOKIE_CLIENT_SIZE, keep - COOKIE_CLIENT_SIZE, time(NULL));
	if (c.is_v1) {
		cookie_time_str(when, sizeof(when), c.timestamp);
		doc_put(o, "version", json_integer(c.version), ok);
		doc_put(o, "timestamp", json_integer(c.timestamp), ok);
		doc_put(o, "timestamp_utc", json_string(when), ok);
		doc_put(o, "age_s", json_integer(c.age), ok);
	} else {
		doc_put(o, "version", json_null(), ok);
		doc_put(o, "timestamp", json_null(), ok);
		doc_put(o, "timestamp_utc", json_null(), ok);
		doc_put(o, "age_s", json_null(), ok);
	}
	return o;
}

static json_t *doc_leg(const struct exchange_query *q, const struct leg *l, bool *ok)
{
	char fl[40], rc[16];
	struct msg_view v;
	bool have = l->reply != NULL && msg_parse(&v, l->reply, l->reply_len) == 0;
	json_t *o = json_object(), *flags = json_array();

	doc_put(o, "transport", json_string(l->tcp ? "tcp" : "udp"), ok);
	doc_put(o, "local", doc_addr(&l->local), ok);
	doc_put(o, "remote", doc_addr(&l->remote), ok);
	doc_put(o, "bytes_sent", json_integer((json_int_t)l->bytes_sent), ok);
	doc_put(o, "bytes_received", json_integer((json_int_t)l->bytes_received), ok);
	doc_put(o, "rtt_ms", l->reply != NULL ? doc_ms(l->rtt_ms) : json_null(), ok);
	doc_put(o, "connect_ms", l->tcp && l->connected ? doc_ms(l->connect_ms) : json_null(), ok);
	doc_put(o, "id", json_integer(l->id), ok);
	doc_put(o, "tries", json_integer(l->tcp ? 1 : l->ntries), ok);
	doc_put(o, "badcookie_retry", json_boolean(l->badcookie_retry), ok);
	doc_put(o, "cookie_sent", doc_cookie_sent(l), ok);
	if (!have) {
		/* No reply, or one too short to read: no flags, and no TC to speak of. */
		doc_put(o, "flags", flags, ok);
		doc_put(o, "tc", json_null(), ok);
		doc_put(o, "rcode", json_null(), ok);
		doc_put(o, "counts", json_null(), ok);
		doc_put(o, "edns", json_null(), ok);
		doc_put(o, "nsid", json_null(), ok);
		doc_put(o, "cookie", json_null(), ok);
		doc_put(o, "udp_limit", json_null(), ok);
		doc_put(o, "dnssec", json_null(), ok);
		doc_put(o, "mismatched", json_integer(l->mismatched), ok);
		doc_put(o, "icmp_unreachable", json_integer(l->icmp_refused), ok);
		doc_put(o, "error", doc_text(l->err ? err_text(l->err) : "unreadable reply"), ok);
		return o;
	}
	flags_str(fl, sizeof(fl), v.flags);
	for (char *p = fl, *tok; (tok = strtok_r(p, " ", &p)) != NULL;)
		doc_add(flags, json_string(tok), ok);
	doc_put(o, "flags", flags, ok);
	doc_put(o, "tc", json_boolean(v.flags & DNS_FLAG_TC), ok);
	msg_rcode_str(rc, sizeof(rc), msg_rcode(&v));
	doc_put(o, "rcode", json_string(rc), ok);
	json_t *counts = json_array();
	for (int s = MSG_QD; s <= MSG_AR; s++)
		doc_add(counts, json_integer(v.count[s]), ok);
	doc_put(o, "counts", counts, ok);
	if (v.has_opt) {
		json_t *edns = json_object();
		doc_put(edns, "udp_size", json_integer(v.opt_udp_size), ok);
		doc_put(edns, "version", json_integer(v.opt_version), ok);
		doc_put(edns, "do", json_boolean(v.opt_do), ok);
		doc_put(o, "edns", edns, ok);
	} else {
		doc_put(o, "edns", json_null(), ok);
	}
	if (v.has_nsid) {
		char nsid[2 * MSG_NSID_MAX + 1];
		bool printable;
		nsid_str(nsid, sizeof(nsid), &v, &printable);
		doc_put(o, "nsid", doc_text(nsid), ok);
	} else {
		doc_put(o, "nsid", json_null(), ok);
	}
	doc_put(o, "cookie", doc_cookie(l, &v, ok), ok);
	doc_put(o, "udp_limit", doc_udp_limit(q, l, &v, ok), ok);
	struct sigcount c;
	if (q->dnssec && sigcount_count(&c, l->reply, l->reply_len) == 0) {
		json_t *d = json_object();
		doc_put(d, "rrsig", json_integer(c.rrsig), ok);
		doc_put(d, "nsec", json_integer(c.nsec), ok);
		doc_put(d, "nsec3", json_integer(c.nsec3), ok);
		doc_put(o, "dnssec", d, ok);
	} else {
		doc_put(o, "dnssec", json_null(), ok);
	}
	doc_put(o, "mismatched", json_integer(l->mismatched), ok);
	doc_put(o, "icmp_unreachable", json_integer(l->icmp_refused), ok);
	doc_put(o, "error", json_null(), ok);
	return o;
}

static json_t *doc_query(const struct dualq_options *opt, const char *server,
			 const struct exchange *ex, bool *ok)
{
	char name[DOC_DDD_SIZE * DNS_MAX_NAME + 1];  /* every byte may become \DDD */
	json_t *o = json_object();

	msg_name_str(name, sizeof(name), ex->q.qname, ex->q.qname_len);
	doc_put(o, "name", doc_text(name), ok);
	doc_put(o, "type", doc_take(ldns_rr_type2str(opt->qtype)), ok);
	doc_put(o, "class", doc_take(ldns_rr_class2str(opt->qclass)), ok);
	doc_put(o, "server", doc_text(server), ok);
	doc_put(o, "port", json_integer(opt->port), ok);
	doc_put(o, "edns", json_boolean(opt->edns), ok);
	doc_put(o, "bufsize", json_integer(opt->bufsize), ok);
	doc_put(o, "cookie", json_boolean(opt->cookie), ok);
	return o;
}

int output_json(FILE *f, const struct dualq_options *opt, const char *server,
		const struct exchange *ex, const struct verdicts *vd)
{
	json_t *doc = json_object(), *legs = json_array(), *verdicts = json_array();
	bool ok = true;
	ldns_status st;
	ldns_pkt *pkt = final_pkt(ex, &st);
	int rc = 0;

	doc_put(doc, "query", doc_query(opt, server, ex, &ok), &ok);
	for (size_t i = 0; i < ex->nlegs; i++)
		doc_add(legs, doc_leg(&ex->q, &ex->legs[i], &ok), &ok);
	doc_put(doc, "legs", legs, &ok);
	doc_put(doc, "answer", doc_rr_list(pkt ? ldns_pkt_answer(pkt) : NULL, &ok), &ok);
	doc_put(doc, "authority", doc_rr_list(pkt ? ldns_pkt_authority(pkt) : NULL, &ok), &ok);
	doc_put(doc, "additional", doc_rr_list(pkt ? ldns_pkt_additional(pkt) : NULL, &ok), &ok);
	ldns_pkt_free(pkt);
	for (size_t i = 0; i < vd->n; i++) {
		json_t *o = json_object();
		doc_put(o, "rfc", doc_text(vd->v[i].rfc), &ok);
		doc_put(o, "leg", doc_text(vd->v[i].leg), &ok);
		doc_put(o, "check", doc_text(vd->v[i].check), &ok);
		doc_put(o, "ok", json_boolean(vd->v[i].ok), &ok);
		doc_put(o, "note", json_boolean(vd->v[i].note), &ok);
		doc_add(verdicts, o, &ok);
	}
	doc_put(doc, "verdicts", verdicts, &ok);
	doc_put(doc, "validated", vd->validated == VALIDATE_NONE ? json_null()
		: json_string(vd->validated == VALIDATE_SECURE ? "secure" : "bogus"), &ok);
	if (vd->slip) {
		json_t *slip = json_object();
		doc_put(slip, "udp_limit", json_integer((json_int_t)vd->slip_limit), &ok);
		doc_put(slip, "tcp_bytes", json_integer((json_int_t)vd->slip_tcp_bytes), &ok);
		doc_put(doc, "slip", slip, &ok);
	} else {
		doc_put(doc, "slip", json_null(), &ok);
	}

	if (!ok || doc == NULL)
		rc = -ENOMEM;
	else if (json_dumpf(doc, f, DOC_DUMP_FLAGS) != 0 || fputc('\n', f) == EOF || fflush(f) != 0)
		rc = -EIO;
	json_decref(doc);
	return rc;
}

void output_short(FILE *f, const struct exchange *ex)
{
	ldns_status st;
	ldns_pkt *pkt = final_pkt(ex, &st);

	if (pkt == NULL)
		return;
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		char *s = rdata_str(ldns_rr_list_rr(an, i));
		if (s != NULL)
			fprintf(f, "%s\n", s);
		free(s);
	}
	ldns_pkt_free(pkt);
}
