/* SPDX-License-Identifier: BSD-3-Clause */
/* test_udplimit.c: which UDP size limit dualq says an answer was held to, and why, from our
 * query and the reply's OPT (RFC 1035 section 4.2.1, RFC 6891 section 6.2.5). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "client/exchange.h"
#include "client/msg.h"
#include "client/udplimit.h"

struct limit_case {
	bool edns;                /* our query had an OPT with bufsize */
	uint16_t bufsize;
	bool opt;                 /* the reply had an OPT with server */
	uint16_t server;
	size_t bytes;
	enum udplimit_source source;
	const char *text;
};

static const struct limit_case cases[] = {
	/* the server's limit below ours: dualnsd's default 1232 against +bufsize=8192 */
	{ true, 8192, true, 1232, 1232, UDPLIMIT_SERVER,
	  "1232 bytes (the server's own UDP size, below our 8192)" },
	/* ours below the server's */
	{ true, 1232, true, 4096, 1232, UDPLIMIT_CLIENT,
	  "1232 bytes (our advertised size; the server's own is 4096)" },
	{ true, 1232, true, 1232, 1232, UDPLIMIT_CLIENT,
	  "1232 bytes (our advertised size, the server's own too)" },
	/* sizes under 512 count as 512 (RFC 6891 section 6.2.5) */
	{ true, 100, true, 1232, 512, UDPLIMIT_CLIENT,
	  "512 bytes (our advertised size 100, counted as 512; the server's own is 1232)" },
	{ true, 0, true, 512, 512, UDPLIMIT_CLIENT,
	  "512 bytes (our advertised size 0, counted as 512, the server's own too)" },
	{ true, 1232, true, 200, 512, UDPLIMIT_SERVER,
	  "512 bytes (the server's own UDP size 200, counted as 512, below our 1232)" },
	/* a server's size under 512 against ours under 512 too: both count as 512, ours named */
	{ true, 100, true, 200, 512, UDPLIMIT_CLIENT,
	  "512 bytes (our advertised size 100, counted as 512, the server's own too)" },
	/* no EDNS on our side, or none on the server's (RFC 1035 section 4.2.1) */
	{ false, 0, false, 0, 512, UDPLIMIT_NO_EDNS,
	  "512 bytes (no EDNS in our query: RFC 1035 section 4.2.1)" },
	{ true, 8192, false, 0, 512, UDPLIMIT_NO_OPT,
	  "512 bytes (the reply has no OPT: the server did not use EDNS, so RFC 1035 section "
	  "4.2.1 applies)" },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct limit_case *c = &cases[i];
		struct exchange_query q;
		struct msg_view v;
		struct udplimit lim;
		char text[UDPLIMIT_TEXT_MAX];

		memset(&q, 0, sizeof(q));
		memset(&v, 0, sizeof(v));
		q.edns = c->edns;
		q.bufsize = c->bufsize;
		v.has_opt = c->opt;
		v.opt_udp_size = c->server;
		udplimit_of(&lim, &q, &v);
		udplimit_str(text, sizeof(text), &lim);
		if (lim.bytes != c->bytes || lim.source != c->source || strcmp(text, c->text) != 0)
			fail_msg("case %zu: %zu bytes, source %s, \"%s\"; expected %zu, %s, \"%s\"", i,
				 lim.bytes, udplimit_source_name(lim.source), text, c->bytes,
				 udplimit_source_name(c->source), c->text);
		assert_int_equal(lim.edns, c->edns);
		assert_int_equal(lim.server_opt, c->opt);
	}
}

/* The JSON words for the sources are part of dualq(1). */
static void test_source_names(void **state)
{
	(void)state;
	assert_string_equal(udplimit_source_name(UDPLIMIT_NO_EDNS), "no-edns");
	assert_string_equal(udplimit_source_name(UDPLIMIT_NO_OPT), "no-opt");
	assert_string_equal(udplimit_source_name(UDPLIMIT_CLIENT), "client");
	assert_string_equal(udplimit_source_name(UDPLIMIT_SERVER), "server");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_source_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
