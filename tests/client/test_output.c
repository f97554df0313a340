/* SPDX-License-Identifier: BSD-3-Clause */
/* test_output.c: dualq's JSON document over a reply with odd names, in process: it parses
 * with a strict parser, is ASCII, and every name and RDATA decodes to the presentation text
 * (RFC 1035 section 5.1) that the text output prints for the same records. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "client/exchange.h"
#include "client/msg.h"
#include "client/options.h"
#include "client/output.h"
#include "client/verdicts.h"

/* A label with a quote, a backslash, control bytes (1, 9, 10, 31 decimal) and bytes from
 * 0x80 up (UTF-8 for e-acute, and 0xff, which is not UTF-8), then odd.test. */
#define ODD_LABEL 'a', '"', 'b', '\\', 'c', 0x01, 0x09, 0x0a, 0x1f, 0xc3, 0xa9, 0xff
static const uint8_t odd_name[] = { 12, ODD_LABEL, 3, 'o', 'd', 'd', 4, 't', 'e', 's', 't', 0 };
/* What msg_name_str writes for it: the query's "name". */
static const char odd_name_text[] = "a\\\"b\\\\c\\001\\009\\010\\031\\195\\169\\255.odd.test.";
/* One TXT character-string with the same bytes. */
static const uint8_t odd_txt[] = { 12, ODD_LABEL };

#define TEST_ID 0x4242
#define TEST_TTL 300

static struct dualq_options opt;
static struct exchange ex;
static struct verdicts vd;

/* One UDP leg whose reply answers odd_name TXT with a TXT record and a PTR record back to
 * odd_name, both owned by it (through a compression pointer). */
static int setup(void **state)
{
	uint8_t reply[512];
	size_t o;
	int n;

	(void)state;
	options_init(&opt);
	memset(&ex, 0, sizeof(ex));
	memcpy(ex.q.qname, odd_name, sizeof(odd_name));
	ex.q.qname_len = sizeof(odd_name);
	ex.q.qtype = opt.qtype = DNS_TYPE_TXT;
	ex.q.qclass = opt.qclass = DNS_CLASS_IN;
	ex.q.edns = false;
	opt.edns = false;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ex.server;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(53);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ex.server_len = sizeof(*sin);

	struct leg *l = &ex.legs[ex.nlegs++];
	l->remote = l->local = ex.server;
	l->id = TEST_ID;
	n = exchange_build_query(l->query, sizeof(l->query), l->id, &ex.q);
	assert_true(n > 0);
	l->query_len = (size_t)n;

	memcpy(reply, l->query, l->query_len);
	dns_write16(reply + DNS_OFF_FLAGS, DNS_FLAG_QR | DNS_FLAG_AA);
	dns_write16(reply + DNS_OFF_ANCOUNT, 2);
	o = l->query_len;
	static const uint16_t types[] = { DNS_TYPE_TXT, DNS_TYPE_PTR };
	for (int i = 0; i < 2; i++) {
		const uint8_t *rdata = i == 0 ? odd_txt : odd_name;
		size_t rdlen = i == 0 ? sizeof(odd_txt) : sizeof(odd_name);
		dns_write16(reply + o, 0xc000 | DNS_HEADER_SIZE);  /* owner: the qname */
		o += 2;
		dns_write16(reply + o + DNS_RR_OFF_TYPE, types[i]);
		dns_write16(reply + o + DNS_RR_OFF_CLASS, DNS_CLASS_IN);
		dns_write32(reply + o + DNS_RR_OFF_TTL, TEST_TTL);
		dns_write16(reply + o + DNS_RR_OFF_RDLENGTH, (unsigned)rdlen);
		o += DNS_RR_FIXED_SIZE;
		memcpy(reply + o, rdata, rdlen);
		o += rdlen;
	}
	l->reply = malloc(o);
	assert_non_null(l->reply);
	memcpy(l->reply, reply, o);
	l->reply_len = l->bytes_received = o;
	l->bytes_sent = l->query_len;
	l->ntries = 1;
	l->rtt_ms = 1.2345;
	verdicts_check(&vd, &ex);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	exchange_free(&ex);
	return 0;
}

/* Runs a printer into memory and returns what it wrote (caller frees). */
static char *capture_json(const char *server, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*rc = output_json(f, &opt, server, &ex, &vd);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static char *capture_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	output_text(f, &opt, "127.0.0.1", &ex, &vd);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* Parses doc strictly (jansson rejects raw control bytes in strings and bytes that are not
 * UTF-8) and checks it is one line of printable ASCII: every odd byte escaped. */
static json_t *parse_doc(const char *doc)
{
	json_error_t err;
	size_t len = strlen(doc);

	assert_true(len > 1 && doc[len - 1] == '\n');
	for (size_t i = 0; i + 1 < len; i++)
		if (doc[i] < 0x20 || doc[i] > 0x7e)
			fail_msg("byte %zu of the document is 0x%02x: %s", i, (unsigned char)doc[i], doc);
	json_t *d = json_loads(doc, JSON_REJECT_DUPLICATES, &err);
	if (d == NULL)
		fail_msg("not JSON (%s at %d): %s", err.text, err.position, doc);
	return d;
}

/* Reads presentation-form character-string text (RFC 1035 section 5.1: quoted, \X and
 * \DDD escapes) back into bytes. Returns the length. */
static size_t unpresent_string(uint8_t *out, size_t outlen, const char *s)
{
	size_t o = 0, n = strlen(s);

	assert_true(n >= 2 && s[0] == '"' && s[n - 1] == '"');
	for (size_t i = 1; i + 1 < n; i++) {
		unsigned c = (unsigned char)s[i];
		if (c == '\\') {
			if (s[i + 1] >= '0' && s[i + 1] <= '9') {
				c = (unsigned)((s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0'));
				i += 3;
			} else {
				c = (unsigned char)s[++i];
			}
		}
		assert_true(o < outlen);
		out[o++] = (uint8_t)c;
	}
	return o;
}

/* The presentation text of a name must read back to the same wire name. */
static void assert_names_odd_name(const char *text)
{
	uint8_t wire[DNS_MAX_NAME];
	int n = exchange_name_from_str(wire, sizeof(wire), text);

	if (n != (int)sizeof(odd_name) || memcmp(wire, odd_name, sizeof(odd_name)) != 0)
		fail_msg("\"%s\" does not read back as the name in the reply", text);
}

static void test_json_odd_names(void **state)
{
	int rc;
	char *doc = capture_json("127.0.0.1", &rc), *text = capture_text();

	(void)state;
	assert_int_equal(rc, 0);
	json_t *d = parse_doc(doc);

	/* The qname as msg_name_str writes it, decoded exactly. */
	const char *qname = json_string_value(json_object_get(json_object_get(d, "query"), "name"));
	assert_non_null(qname);
	assert_string_equal(qname, odd_name_text);
	assert_names_odd_name(qname);

	json_t *answer = json_object_get(d, "answer");
	assert_int_equal(json_array_size(answer), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *rr = json_array_get(answer, i);
		const char *name = json_string_value(json_object_get(rr, "name"));
		const char *type = json_string_value(json_object_get(rr, "type"));
		const char *rdata = json_string_value(json_object_get(rr, "rdata"));
		assert_non_null(name);
		assert_non_null(rdata);
		assert_names_odd_name(name);
		/* The same record, field for field, is a line of the text output. */
		char line[1024];
		snprintf(line, sizeof(line), "\n%s\t%d\tIN\t%s\t%s\n", name, TEST_TTL, type, rdata);
		if (strstr(text, line) == NULL)
			fail_msg("the JSON record %zu is not a line of the text output:\n%s\ntext:\n%s",
				 i, line, text);
	}
	/* And the RDATA reads back to the bytes sent. */
	const char *txt = json_string_value(json_object_get(json_array_get(answer, 0), "rdata"));
	uint8_t bytes[64];
	size_t n = unpresent_string(bytes, sizeof(bytes), txt);
	assert_int_equal(n, sizeof(odd_txt) - 1);
	assert_memory_equal(bytes, odd_txt + 1, n);
	assert_names_odd_name(json_string_value(json_object_get(json_array_get(answer, 1), "rdata")));

	/* Numbers stay numbers; a time is a real. */
	json_t *leg = json_array_get(json_object_get(d, "legs"), 0);
	assert_true(json_is_integer(json_object_get(leg, "id")));
	assert_int_equal(json_integer_value(json_object_get(leg, "id")), TEST_ID);
	assert_true(json_is_real(json_object_get(leg, "rtt_ms")));
	assert_true(json_real_value(json_object_get(leg, "rtt_ms")) == 1.235 ||
		    json_real_value(json_object_get(leg, "rtt_ms")) == 1.234);
	assert_true(json_is_null(json_object_get(leg, "connect_ms")));
	assert_true(json_is_null(json_object_get(leg, "edns")));
	json_decref(d);
	free(doc);
	free(text);
}

/* The server argument is the user's text: UTF-8 comes back as it was typed; other bytes
 * from 0x80 up as \DDD. The document stays ASCII and valid either way. */
static void test_json_server_text(void **state)
{
	static const struct { const char *server, *decoded; } cases[] = {
		{ "h\xc3\xb4st", "h\xc3\xb4st" },
		{ "h\xffst\"\\", "h\\255st\"\\" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;
		char *doc = capture_json(cases[i].server, &rc);
		assert_int_equal(rc, 0);
		json_t *d = parse_doc(doc);
		assert_string_equal(json_string_value(json_object_get(json_object_get(d, "query"), "server")),
				    cases[i].decoded);
		json_decref(d);
		free(doc);
	}
}

/* A TCP leg refused before its socket had an address (after the UDP leg of setup): what
 * does not exist is null in the JSON, never a placeholder, and the text says "-". */
static void test_json_failed_tcp(void **state)
{
	struct leg *t = &ex.legs[ex.nlegs++];
	int rc;

	(void)state;
	memset(t, 0, sizeof(*t));
	t->tcp = true;
	t->remote = ex.server;
	t->id = TEST_ID + 1;
	t->err = -ECONNREFUSED;
	t->err_stage = "connect";
	t->timeout_ms = 2000;
	ex.why_tcp = EXCHANGE_TCP_TC;
	verdicts_check(&vd, &ex);

	char *doc = capture_json("127.0.0.1", &rc), *text = capture_text();
	assert_int_equal(rc, 0);
	if (strstr(doc, "\"?\"") != NULL)
		fail_msg("a \"?\" placeholder in the document: %s", doc);
	json_t *d = parse_doc(doc);
	json_t *legs = json_object_get(d, "legs"), *u = json_array_get(legs, 0),
	       *tl = json_array_get(legs, 1);
	assert_int_equal(json_array_size(legs), 2);
	assert_true(json_is_null(json_object_get(tl, "local")));
	assert_string_equal(json_string_value(json_object_get(tl, "remote")), "127.0.0.1:53");
	assert_true(json_is_null(json_object_get(tl, "tc")));
	assert_true(json_is_null(json_object_get(tl, "connect_ms")));
	assert_true(json_is_null(json_object_get(tl, "rtt_ms")));
	assert_true(json_is_null(json_object_get(tl, "udp_limit")));
	assert_string_equal(json_string_value(json_object_get(tl, "error")), "connection refused");
	/* The UDP leg's limit: the query of setup has no EDNS. */
	json_t *lim = json_object_get(u, "udp_limit");
	assert_int_equal(json_integer_value(json_object_get(lim, "bytes")), 512);
	assert_string_equal(json_string_value(json_object_get(lim, "source")), "no-edns");
	assert_true(json_is_null(json_object_get(lim, "advertised")));
	assert_true(json_is_null(json_object_get(lim, "server")));
	assert_true(json_is_false(json_object_get(u, "tc")));

	if (strstr(text, "\n;; tcp  - -> 127.0.0.1:53   connect failed: connection refused\n") == NULL ||
	    strstr(text, "\n;; udp  limit: 512 bytes (no EDNS in our query: RFC 1035 section 4.2.1)\n") == NULL)
		fail_msg("text:\n%s", text);
	json_decref(d);
	free(doc);
	free(text);
}

/* A document that cannot be written is an error, not a silent success. */
static void test_json_write_error(void **state)
{
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (f == NULL)
		skip();
	assert_int_equal(output_json(f, &opt, "127.0.0.1", &ex, &vd), -EIO);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_odd_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_server_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_write_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_failed_tcp, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
