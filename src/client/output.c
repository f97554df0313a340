/* output.c: turn the recorded legs into dualq's text trace, JSON document or +short lines. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <ldns/ldns.h>

#include "client/output.h"

const struct leg *output_final_leg(const struct exchange *ex)
{
	for (size_t i = ex->nlegs; i > 0; i--)
		if (ex->legs[i - 1].reply != NULL)
			return &ex->legs[i - 1];
	return NULL;
}

void output_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);  /* names and rdata are ASCII presentation text */
		else
			fputc(*p, f);
	}
	fputc('"', f);
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

static void trace_leg(FILE *f, const struct dualq_options *opt, const struct leg *l)
{
	char local[64], remote[64], fl[40], rc[16], nsid[2 * MSG_NSID_MAX + 1];
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
			fprintf(f, ";; tcp  %s -> %s   %s failed: %s\n", local, remote,
				l->err_stage ? l->err_stage : "exchange", err_text(l->err));
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
	char rs[64];

	for (size_t i = 0; i < ex->nlegs; i++) {
		const struct leg *l = &ex->legs[i];
		if (l->tcp && i > 0) {
			if (ex->why_tcp == EXCHANGE_TCP_TC)
				fprintf(f, ";; truncated: retrying over tcp to the same port %u\n", port);
			else if (ex->why_tcp == EXCHANGE_TCP_COMPARE)
				fprintf(f, ";; +compare: asking again over tcp on the same port %u\n", port);
		}
		trace_leg(f, opt, l);
	}
	if (ex->nlegs == 2 && ex->legs[0].reply != NULL && ex->legs[1].reply != NULL) {
		char lu[64], lt[64];
		exchange_addr_str(rs, sizeof(rs), &ex->server);
		exchange_addr_str(lu, sizeof(lu), &ex->legs[0].local);
		exchange_addr_str(lt, sizeof(lt), &ex->legs[1].local);
		fprintf(f, ";; same server port: udp and tcp both reached %s (one port number, two "
			"protocols); local udp %s, tcp %s\n", rs, lu, lt);
	}
	if (vd->n > 0) {
		fprintf(f, ";; verdicts:\n");
		for (size_t i = 0; i < vd->n; i++)
			fprintf(f, ";;   %-4s  %s: %s\n", vd->v[i].ok ? "ok" : "FAIL", vd->v[i].rfc,
				vd->v[i].check);
	}

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

static void json_rr_list(FILE *f, const ldns_rr_list *list)
{
	fputc('[', f);
	for (size_t i = 0; list != NULL && i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);
		char *owner = ldns_rdf2str(ldns_rr_owner(rr));
		char *cls = ldns_rr_class2str(ldns_rr_get_class(rr));
		char *type = ldns_rr_type2str(ldns_rr_get_type(rr));
		char *rdata = rdata_str(rr);
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		output_json_string(f, owner ? owner : "");
		fprintf(f, ", \"ttl\": %u, \"class\": ", ldns_rr_ttl(rr));
		output_json_string(f, cls ? cls : "");
		fprintf(f, ", \"type\": ");
		output_json_string(f, type ? type : "");
		fprintf(f, ", \"rdata\": ");
		output_json_string(f, rdata ? rdata : "");
		fputc('}', f);
		free(owner);
		free(cls);
		free(type);
		free(rdata);
	}
	fputc(']', f);
}

static void json_leg(FILE *f, const struct leg *l)
{
	char local[64], remote[64], fl[40], rc[16];
	struct msg_view v;
	bool have = l->reply != NULL && msg_parse(&v, l->reply, l->reply_len) == 0;

	exchange_addr_str(local, sizeof(local), &l->local);
	exchange_addr_str(remote, sizeof(remote), &l->remote);
	fprintf(f, "{\"transport\": \"%s\", \"local\": ", l->tcp ? "tcp" : "udp");
	output_json_string(f, local);
	fprintf(f, ", \"remote\": ");
	output_json_string(f, remote);
	fprintf(f, ", \"bytes_sent\": %zu, \"bytes_received\": %zu", l->bytes_sent, l->bytes_received);
	if (l->reply != NULL)
		fprintf(f, ", \"rtt_ms\": %.3f", l->rtt_ms);
	else
		fprintf(f, ", \"rtt_ms\": null");
	if (l->tcp && l->err_stage == NULL)
		fprintf(f, ", \"connect_ms\": %.3f", l->connect_ms);
	else
		fprintf(f, ", \"connect_ms\": null");
	fprintf(f, ", \"id\": %u, \"tries\": %u", l->id, l->tcp ? 1 : l->ntries);
	if (!have) {
		fprintf(f, ", \"flags\": [], \"tc\": false, \"rcode\": null, \"counts\": null, "
			   "\"edns\": null, \"nsid\": null, \"mismatched\": %u, \"icmp_unreachable\": %u, "
			   "\"error\": ", l->mismatched, l->icmp_refused);
		output_json_string(f, l->err ? err_text(l->err) : "unreadable reply");
		fputc('}', f);
		return;
	}
	flags_str(fl, sizeof(fl), v.flags);
	fprintf(f, ", \"flags\": [");
	for (char *p = fl, *tok; (tok = strtok_r(p, " ", &p)) != NULL;)
		fprintf(f, "%s\"%s\"", tok == fl ? "" : ", ", tok);
	msg_rcode_str(rc, sizeof(rc), msg_rcode(&v));
	fprintf(f, "], \"tc\": %s, \"rcode\": \"%s\", \"counts\": [%u, %u, %u, %u]",
		(v.flags & DNS_FLAG_TC) ? "true" : "false", rc, v.count[0], v.count[1], v.count[2],
		v.count[3]);
	if (v.has_opt)
		fprintf(f, ", \"edns\": {\"udp_size\": %u, \"version\": %u, \"do\": %s}", v.opt_udp_size,
			v.opt_version, v.opt_do ? "true" : "false");
	else
		fprintf(f, ", \"edns\": null");
	if (v.has_nsid) {
		char nsid[2 * MSG_NSID_MAX + 1];
		bool printable;
		nsid_str(nsid, sizeof(nsid), &v, &printable);
		fprintf(f, ", \"nsid\": ");
		output_json_string(f, nsid);
	} else {
		fprintf(f, ", \"nsid\": null");
	}
	fprintf(f, ", \"mismatched\": %u, \"icmp_unreachable\": %u, \"error\": null}", l->mismatched,
		l->icmp_refused);
}

void output_json(FILE *f, const struct dualq_options *opt, const char *server,
		 const struct exchange *ex, const struct verdicts *vd)
{
	char *type = ldns_rr_type2str(opt->qtype), *cls = ldns_rr_class2str(opt->qclass);
	char name[1024];

	msg_name_str(name, sizeof(name), ex->q.qname, ex->q.qname_len);
	fprintf(f, "{\"query\": {\"name\": ");
	output_json_string(f, name);
	fprintf(f, ", \"type\": ");
	output_json_string(f, type ? type : "");
	fprintf(f, ", \"class\": ");
	output_json_string(f, cls ? cls : "");
	fprintf(f, ", \"server\": ");
	output_json_string(f, server);
	fprintf(f, ", \"port\": %u", opt->port);
	fprintf(f, ", \"edns\": %s, \"bufsize\": %u}", opt->edns ? "true" : "false", opt->bufsize);
	free(type);
	free(cls);

	fprintf(f, ",\n \"legs\": [");
	for (size_t i = 0; i < ex->nlegs; i++) {
		fprintf(f, "%s", i ? ",\n  " : "\n  ");
		json_leg(f, &ex->legs[i]);
	}
	fprintf(f, "]");

	ldns_status st;
	ldns_pkt *pkt = final_pkt(ex, &st);
	fprintf(f, ",\n \"answer\": ");
	json_rr_list(f, pkt ? ldns_pkt_answer(pkt) : NULL);
	fprintf(f, ",\n \"authority\": ");
	json_rr_list(f, pkt ? ldns_pkt_authority(pkt) : NULL);
	fprintf(f, ",\n \"additional\": ");
	json_rr_list(f, pkt ? ldns_pkt_additional(pkt) : NULL);
	ldns_pkt_free(pkt);

	fprintf(f, ",\n \"verdicts\": [");
	for (size_t i = 0; i < vd->n; i++) {
		fprintf(f, "%s{\"rfc\": ", i ? ",\n  " : "\n  ");
		output_json_string(f, vd->v[i].rfc);
		fprintf(f, ", \"leg\": \"%s\", \"check\": ", vd->v[i].leg);
		output_json_string(f, vd->v[i].check);
		fprintf(f, ", \"ok\": %s}", vd->v[i].ok ? "true" : "false");
	}
	fprintf(f, "]}\n");
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
