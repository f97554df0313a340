/* SPDX-License-Identifier: BSD-3-Clause */
/* test_xdp_prog.c: the XDP redirect program (src/xdp_dns.bpf.o) loaded into the kernel and
 * run on crafted frames (BPF_PROG_TEST_RUN): which frames it sends toward the AF_XDP
 * sockets and which it leaves to the kernel. Needs root; skips otherwise. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "xdp_dns.h"
#include "xdptestframe.h"

#define SKIP 77
#define FRAME_CAP 2048

static struct bpf_object *obj;
static int prog_fd, config_fd, addr4_fd, addr6_fd, counters_fd;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/* Opens and loads the object: 0, SKIP when this kernel or user may not load BPF, or -1. */
static int load(void)
{
	const char *env = getenv("DUALNSD_XDP_OBJECT");
	const char *top = getenv("top_builddir");
	struct bpf_program *prog;
	char path[4096];
	int err;

	if (env != NULL)
		snprintf(path, sizeof(path), "%s", env);
	else
		snprintf(path, sizeof(path), "%s/src/xdp_dns.bpf.o", top != NULL ? top : ".");
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(path, NULL);
	if (obj == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	err = bpf_object__load(obj);
	if (err == -EPERM || err == -ENOSYS) {
		fprintf(stderr, "cannot load BPF here: %s\n", strerror(-err));
		return SKIP;
	}
	if (err != 0) {
		fprintf(stderr, "%s: load: %s\n", path, strerror(-err));
		return -1;
	}
	prog = bpf_object__find_program_by_name(obj, XDP_DNS_PROG_NAME);
	if (prog == NULL)
		return -1;
	prog_fd = bpf_program__fd(prog);
	config_fd = bpf_object__find_map_fd_by_name(obj, XDP_DNS_MAP_CONFIG);
	addr4_fd = bpf_object__find_map_fd_by_name(obj, XDP_DNS_MAP_ADDR4);
	addr6_fd = bpf_object__find_map_fd_by_name(obj, XDP_DNS_MAP_ADDR6);
	counters_fd = bpf_object__find_map_fd_by_name(obj, XDP_DNS_MAP_COUNTERS);
	if (bpf_object__find_map_by_name(obj, XDP_DNS_MAP_XSKS) == NULL || config_fd < 0 ||
	    addr4_fd < 0 || addr6_fd < 0 || counters_fd < 0)
		return -1;
	return 0;
}

static void configure(unsigned port, bool any_v4, bool any_v6)
{
	struct xdp_dns_config cfg = { .port = htons((uint16_t)port), .any_v4 = any_v4,
				      .any_v6 = any_v6 };
	__u32 key = 0;

	assert_int_equal(bpf_map_update_elem(config_fd, &key, &cfg, BPF_ANY), 0);
}

/* A counter summed over the CPUs. */
static uint64_t counter(__u32 index)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t values[ncpu > 0 ? ncpu : 1], sum = 0;

	assert_true(ncpu > 0);
	assert_int_equal(bpf_map_lookup_elem(counters_fd, &index, values), 0);
	for (int i = 0; i < ncpu; i++)
		sum += values[i];
	return sum;
}

/* Runs the program on the frame, which it must leave to the kernel in the end (no socket
 * sits in xsks_map: a redirect falls back to XDP_PASS), and returns whether it chose to
 * redirect it, as the counters tell. */
static bool redirects(const uint8_t *frame, size_t len)
{
	uint64_t redirected = counter(XDP_DNS_REDIRECTED), passed = counter(XDP_DNS_PASSED);
	uint8_t out[FRAME_CAP + 256];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = (__u32)len,
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);

	assert_int_equal(bpf_prog_test_run_opts(prog_fd, &opts), 0);
	assert_int_equal(opts.retval, XDP_PASS);
	/* The program never changes the frame. */
	assert_int_equal(opts.data_size_out, len);
	assert_memory_equal(out, frame, len);
	if (counter(XDP_DNS_REDIRECTED) == redirected + 1) {
		assert_int_equal(counter(XDP_DNS_PASSED), passed);
		return true;
	}
	assert_int_equal(counter(XDP_DNS_REDIRECTED), redirected);
	assert_int_equal(counter(XDP_DNS_PASSED), passed + 1);
	return false;
}

static bool spec_redirects(const struct tf_spec *s)
{
	uint8_t f[FRAME_CAP] = { 0 };

	return redirects(f, tf_build(f, s));
}

/* Before user space writes dns_config (port 0), nothing is redirected. */
static void test_unconfigured(void **state)
{
	struct tf_spec v4 = { .payload_len = 29 }, v6 = { .ipv6 = true, .payload_len = 29 };

	assert_false(spec_redirects(&v4));
	assert_false(spec_redirects(&v6));
}

struct dest_case {
	const char *name;
	struct tf_spec spec;
	bool redirected;
};

/* Port 5353, every IPv4 destination, only 2001:db8:53::1 of IPv6. */
static const struct dest_case dests_any_v4[] = {
	{ "IPv4 to the server", { .payload_len = 29 }, true },
	{ "IPv4 to another address", { .dst = TF_OTHER4, .payload_len = 29 }, true },
	{ "IPv4 without UDP checksum", { .payload_len = 29, .no_udp_csum = true }, true },
	{ "IPv4 empty payload", { .payload_len = 0 }, true },
	{ "IPv4 to port 53", { .dport = 53, .payload_len = 29 }, false },
	{ "IPv6 to the listed address", { .ipv6 = true, .payload_len = 29 }, true },
	{ "IPv6 to another address", { .ipv6 = true, .dst = TF_OTHER6, .payload_len = 29 }, false },
	{ "IPv6 to port 53", { .ipv6 = true, .dport = 53, .payload_len = 29 }, false },
};

/* Port 5353, only 198.51.100.1 of IPv4, every IPv6 destination. */
static const struct dest_case dests_any_v6[] = {
	{ "IPv4 to the listed address", { .payload_len = 29 }, true },
	{ "IPv4 to another address", { .dst = TF_OTHER4, .payload_len = 29 }, false },
	{ "IPv6 to the server", { .ipv6 = true, .payload_len = 29 }, true },
	{ "IPv6 to another address", { .ipv6 = true, .dst = TF_OTHER6, .payload_len = 29 }, true },
	{ "IPv6 to port 5354", { .ipv6 = true, .dport = 5354, .payload_len = 29 }, false },
};

static void run_dests(const struct dest_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		print_message("%s\n", cases[i].name);
		assert_int_equal(spec_redirects(&cases[i].spec), cases[i].redirected);
	}
}

static void test_destinations(void **state)
{
	struct xdp_dns_addr6 a6;
	__u32 a4;
	__u8 one = 1;

	memcpy(a6.a, TF_SERVER6, 16);
	assert_int_equal(bpf_map_update_elem(addr6_fd, &a6, &one, BPF_ANY), 0);
	configure(5353, true, false);
	run_dests(dests_any_v4, sizeof(dests_any_v4) / sizeof(dests_any_v4[0]));

	memcpy(&a4, TF_SERVER4, 4);
	assert_int_equal(bpf_map_update_elem(addr4_fd, &a4, &one, BPF_ANY), 0);
	configure(5353, false, true);
	run_dests(dests_any_v6, sizeof(dests_any_v6) / sizeof(dests_any_v6[0]));
}

/* Everything else passes to the kernel, which handles it (reassembly, options, VLANs)
 * or drops and counts it. Checksums are user space's to check (src/xdp_frame.c). */
static void test_malformed(void **state)
{
	configure(5353, true, true);
	for (size_t i = 0; i < sizeof(tf_malformed) / sizeof(tf_malformed[0]); i++) {
		const struct tf_case *c = &tf_malformed[i];
		uint8_t f[FRAME_CAP] = { 0 };
		size_t len = tf_build_case(f, c);

		if (c->prog_cannot_run)
			continue;
		print_message("%s\n", c->name);
		assert_int_equal(redirects(f, len), c->prog_redirects);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unconfigured),
		cmocka_unit_test(test_destinations),
		cmocka_unit_test(test_malformed),
	};
	int rc;

	if (geteuid() != 0) {
		fprintf(stderr, "not root: cannot load BPF programs\n");
		return SKIP;
	}
	rc = load();
	if (rc != 0)
		return rc == SKIP ? SKIP : 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bpf_object__close(obj);
	return rc;
}
