/* SPDX-License-Identifier: BSD-3-Clause */
/* test_xdp_frame.c: the AF_XDP path's frames: which received frames are answered, the
 * client read from them, the answer's headers and checksums (RFC 768, RFC 1071, RFC 8200
 * section 8.1) checked by a computation of the test's own, and the answer's size limit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "xdp_frame.h"
#include "xdptestframe.h"

#define FRAME_CAP 2048

struct good_case {
	const char *name;
	struct tf_spec spec;
	size_t pad;     /* Ethernet padding after the datagram */
	bool df;        /* IPv4 don't-fragment set: still not a fragment */
};

static const struct good_case good[] = {
	{ "IPv4", { .payload_len = 29 }, 0, false },
	{ "IPv4 without UDP checksum", { .payload_len = 29, .no_udp_csum = true }, 0, false },
	{ "IPv4 odd length, DF", { .payload_len = 33 }, 0, true },
	{ "IPv4 padded to 60 bytes", { .payload_len = 12 }, 6, false },
	{ "IPv4 empty payload", { .payload_len = 0 }, 0, false },
	{ "IPv6", { .ipv6 = true, .payload_len = 29 }, 0, false },
	{ "IPv6 odd length", { .ipv6 = true, .payload_len = 517 }, 0, false },
};

static void test_parse_good(void **state)
{
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct good_case *c = &good[i];
		uint8_t f[FRAME_CAP] = { 0 };
		struct xdp_frame_info info;
		size_t len = tf_build(f, &c->spec);
		size_t l4 = c->spec.ipv6 ? 40 : 20;

		if (c->df) {
			tf_put16(f + TF_ETH + 6, 0x4000);
			tf_fix(f, true);
		}
		len += c->pad;
		print_message("%s\n", c->name);
		assert_int_equal(xdp_frame_parse(f, len, &info), 0);
		assert_int_equal(info.l3_off, TF_ETH);
		assert_int_equal(info.payload_off, TF_ETH + l4 + 8);
		assert_int_equal(info.payload_len, c->spec.payload_len);
		assert_int_equal(info.ipv6, c->spec.ipv6);
		if (c->spec.ipv6) {
			const struct sockaddr_in6 *p = (const struct sockaddr_in6 *)&info.peer;

			assert_int_equal(p->sin6_family, AF_INET6);
			assert_int_equal(ntohs(p->sin6_port), TF_CLIENT_PORT);
			assert_memory_equal(&p->sin6_addr, TF_CLIENT6, 16);
		} else {
			const struct sockaddr_in *p = (const struct sockaddr_in *)&info.peer;

			assert_int_equal(p->sin_family, AF_INET);
			assert_int_equal(ntohs(p->sin_port), TF_CLIENT_PORT);
			assert_memory_equal(&p->sin_addr, TF_CLIENT4, 4);
		}
		if (c->spec.payload_len > 0)
			assert_int_equal(f[info.payload_off + c->spec.payload_len - 1],
					 (uint8_t)(c->spec.payload_len - 1));
	}
}

/* A datagram from a sender on the same host whose checksum offload was to finish the UDP
 * checksum (a container behind a veth): the field holds the pseudo-header's sum, folded
 * and not complemented, and the frame is answered as the kernel's UDP stack would take it.
 * One more in that field is a corrupted checksum again. */
static void test_parse_offload_partial(void **state)
{
	for (int v6 = 0; v6 <= 1; v6++) {
		struct tf_spec spec = { .ipv6 = v6, .payload_len = 37 };
		uint8_t f[FRAME_CAP] = { 0 };
		struct xdp_frame_info info;
		size_t len = tf_build(f, &spec);
		uint8_t *ip = f + TF_ETH, *udp = tf_udp(f);
		uint32_t sum = v6 ? tf_sum(0, ip + 8, 32) : tf_sum(0, ip + 12, 8);
		uint16_t partial = tf_fold(sum + 17 + tf_get16(udp + 4));

		print_message("%s\n", v6 ? "IPv6" : "IPv4");
		tf_put16(udp + 6, partial);
		assert_int_equal(xdp_frame_parse(f, len, &info), 0);
		assert_int_equal(info.payload_len, 37);
		tf_put16(udp + 6, (uint16_t)(partial + 1));
		assert_int_equal(xdp_frame_parse(f, len, &info), -1);
	}
	(void)state;
}

static void test_parse_malformed(void **state)
{
	for (size_t i = 0; i < sizeof(tf_malformed) / sizeof(tf_malformed[0]); i++) {
		uint8_t f[FRAME_CAP] = { 0 };
		struct xdp_frame_info info;
		size_t len = tf_build_case(f, &tf_malformed[i]);

		print_message("%s\n", tf_malformed[i].name);
		assert_int_equal(xdp_frame_parse(f, len, &info), -1);
	}
}

/* Builds the query s describes, parses it, writes an answer of answer_len bytes
 * (255, 254, ...; the first two bytes first_word when >= 0) and makes the frame. */
static size_t answer_frame(uint8_t *f, const struct tf_spec *s, size_t answer_len, long first_word,
			   struct xdp_frame_info *info)
{
	size_t len = tf_build(f, s);

	assert_int_equal(xdp_frame_parse(f, len, info), 0);
	assert_true(answer_len <= xdp_frame_answer_cap(info, FRAME_CAP, 1500));
	for (size_t i = 0; i < answer_len; i++)
		f[info->payload_off + i] = (uint8_t)(255 - i);
	if (first_word >= 0)
		tf_put16(f + info->payload_off, (unsigned)first_word);
	return xdp_frame_answer(f, info, answer_len);
}

/* Every header field of an answer of answer_len bytes to the query s, and both checksums
 * summed again: they fold to 0xffff. Returns the UDP checksum field. */
static unsigned check_answer(const struct tf_spec *s, size_t answer_len, long first_word)
{
	uint8_t f[FRAME_CAP] = { 0 };
	struct xdp_frame_info info;
	size_t out = answer_frame(f, s, answer_len, first_word, &info);
	uint8_t *ip = f + TF_ETH;
	size_t l4 = s->ipv6 ? 40 : 20;
	uint8_t *udp = ip + l4;

	assert_int_equal(out, TF_ETH + l4 + 8 + answer_len);
	assert_memory_equal(f, TF_CLIENT_MAC, 6);
	assert_memory_equal(f + 6, TF_SERVER_MAC, 6);
	assert_int_equal(tf_get16(f + 12), s->ipv6 ? 0x86dd : 0x0800);
	if (s->ipv6) {
		assert_int_equal(tf_get16(ip), 0x6000);          /* version, class 0 */
		assert_int_equal(tf_get16(ip + 2), 0);           /* flow label 0 */
		assert_int_equal(tf_get16(ip + 4), 8 + answer_len);
		assert_int_equal(ip[6], 17);
		assert_int_equal(ip[7], 64);
		assert_memory_equal(ip + 8, TF_SERVER6, 16);
		assert_memory_equal(ip + 24, TF_CLIENT6, 16);
	} else {
		assert_int_equal(ip[0], 0x45);
		assert_int_equal(ip[1], 0);
		assert_int_equal(tf_get16(ip + 2), 20 + 8 + answer_len);
		assert_int_equal(tf_get16(ip + 6), 0x4000);      /* DF, no offset */
		assert_int_equal(ip[8], 64);
		assert_int_equal(ip[9], 17);
		assert_memory_equal(ip + 12, TF_SERVER4, 4);
		assert_memory_equal(ip + 16, TF_CLIENT4, 4);
		assert_int_equal(tf_fold(tf_sum(0, ip, 20)), 0xffff);   /* RFC 1071 */
	}
	assert_int_equal(tf_get16(udp), 5353);
	assert_int_equal(tf_get16(udp + 2), TF_CLIENT_PORT);
	assert_int_equal(tf_get16(udp + 4), 8 + answer_len);
	assert_int_not_equal(tf_get16(udp + 6), 0);
	assert_int_equal(tf_udp_sum(ip, udp), 0xffff);          /* RFC 768 */
	/* The answer itself is untouched. */
	for (size_t i = first_word >= 0 ? 2 : 0; i < answer_len; i++)
		assert_int_equal(f[TF_ETH + l4 + 8 + i], (uint8_t)(255 - i));
	/* And the answer frame parses as a datagram from the server. */
	assert_int_equal(xdp_frame_parse(f, out, &info), 0);
	assert_int_equal(info.payload_len, answer_len);
	return tf_get16(udp + 6);
}

static void test_answer(void **state)
{
	static const size_t lens[] = { 0, 1, 12, 511, 512, 1232, 1472 };

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct tf_spec v4 = { .payload_len = 29 };
		struct tf_spec v4none = { .payload_len = 33, .no_udp_csum = true };
		struct tf_spec v6 = { .ipv6 = true, .payload_len = 29 };

		print_message("answer of %zu bytes\n", lens[i]);
		check_answer(&v4, lens[i], -1);
		check_answer(&v4none, lens[i], -1);
		if (lens[i] <= 1452)
			check_answer(&v6, lens[i], -1);
	}
}

/* An answer whose checksum computes to 0 carries 0xffff (RFC 768; over IPv6 0 is not
 * allowed at all, RFC 8200 section 8.1). The first answer word is chosen to make the sum
 * 0xffff: it is the checksum the same answer gets with that word 0. */
static void test_answer_checksum_zero(void **state)
{
	struct tf_spec specs[] = { { .payload_len = 29 }, { .ipv6 = true, .payload_len = 29 } };

	for (size_t i = 0; i < 2; i++) {
		unsigned c = check_answer(&specs[i], 100, 0);

		assert_int_equal(check_answer(&specs[i], 100, c), 0xffff);
	}
}

static void test_answer_cap(void **state)
{
	uint8_t f[FRAME_CAP] = { 0 };
	struct xdp_frame_info v4, v6;
	struct tf_spec s4 = { .payload_len = 29 }, s6 = { .ipv6 = true, .payload_len = 29 };

	assert_int_equal(xdp_frame_parse(f, tf_build(f, &s4), &v4), 0);
	assert_int_equal(xdp_frame_parse(f, tf_build(f, &s6), &v6), 0);
	/* IP header + UDP header + answer <= MTU. */
	assert_int_equal(xdp_frame_answer_cap(&v4, 4096, 1500), 1500 - 20 - 8);
	assert_int_equal(xdp_frame_answer_cap(&v6, 4096, 1500), 1500 - 40 - 8);
	assert_int_equal(xdp_frame_answer_cap(&v4, 4096, 600), 600 - 20 - 8);
	assert_int_equal(xdp_frame_answer_cap(&v6, 4096, 600), 600 - 40 - 8);
	/* The frame buffer from the frame's start, Ethernet header included. */
	assert_int_equal(xdp_frame_answer_cap(&v4, 512, 1500), 512 - 14 - 20 - 8);
	assert_int_equal(xdp_frame_answer_cap(&v6, 512, 1500), 512 - 14 - 40 - 8);
	assert_int_equal(xdp_frame_answer_cap(&v4, 14 + 20 + 8, 1500), 0);
	assert_int_equal(xdp_frame_answer_cap(&v6, 14 + 40 + 8 + 1, 1500), 1);
	assert_int_equal(xdp_frame_answer_cap(&v6, 4096, 48), 0);
	/* The 16-bit length fields bound a jumbo MTU. */
	assert_int_equal(xdp_frame_answer_cap(&v4, 70000, 9000), 9000 - 28);
	assert_int_equal(xdp_frame_answer_cap(&v4, 70000, 70000), 65535 - 28);
	assert_int_equal(xdp_frame_answer_cap(&v6, 70000, 70000), 65535 - 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_offload_partial),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_answer_checksum_zero),
		cmocka_unit_test(test_answer_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
