/* SPDX-License-Identifier: BSD-3-Clause */
/* stats.c: counting queries and answers per worker, summing and printing the counters. */
#include "config.h"

#include <stdio.h>

#include "dns.h"
#include "stats.h"

static const char *const rcode_names[STATS_RCODE_SLOTS] = {
	"noerror", "formerr", "servfail", "nxdomain", "notimp", "refused", "badvers", "other",
};

static unsigned rcode_slot(int rcode)
{
	if (rcode >= RCODE_NOERROR && rcode <= RCODE_REFUSED)
		return (unsigned)rcode;
	return rcode == RCODE_BADVERS ? STATS_SLOT_BADVERS : STATS_SLOT_OTHER;
}

void stats_count_query(struct stats *s, enum stats_transport t, enum stats_family f, int rcode,
		       bool tc)
{
	stats_add(&s->queries[t][f], 1);
	if (rcode == RCODE_DISCARD) {
		stats_add(&s->dropped, 1);
		return;
	}
	stats_add(&s->answers[rcode_slot(rcode)], 1);
	if (rcode == RCODE_BADCOOKIE)
		stats_add(&s->badcookie, 1);
	if (tc)
		stats_add(&s->truncated, 1);
}

static unsigned long get(const _Atomic unsigned long *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

void stats_sum(struct stats *total, const struct stats *one)
{
	unsigned i, j;

	for (i = 0; i < STATS_TRANSPORTS; i++)
		for (j = 0; j < STATS_FAMILIES; j++)
			stats_add(&total->queries[i][j], get(&one->queries[i][j]));
	for (i = 0; i < STATS_RCODE_SLOTS; i++)
		stats_add(&total->answers[i], get(&one->answers[i]));
	stats_add(&total->truncated, get(&one->truncated));
	stats_add(&total->dropped, get(&one->dropped));
	stats_add(&total->udp_unsent, get(&one->udp_unsent));
	stats_add(&total->tcp_accepted, get(&one->tcp_accepted));
	stats_add(&total->tcp_timed_out, get(&one->tcp_timed_out));
	stats_add(&total->tcp_evicted, get(&one->tcp_evicted));
	stats_add(&total->cookie_valid, get(&one->cookie_valid));
	stats_add(&total->cookie_bad, get(&one->cookie_bad));
	stats_add(&total->badcookie, get(&one->badcookie));
	stats_add(&total->rrl_limited, get(&one->rrl_limited));
	stats_add(&total->rrl_slipped, get(&one->rrl_slipped));
	stats_add(&total->rrl_dropped, get(&one->rrl_dropped));
	stats_add(&total->notify_sent, get(&one->notify_sent));
	stats_add(&total->notify_acked, get(&one->notify_acked));
	stats_add(&total->notify_failed, get(&one->notify_failed));
	stats_add(&total->tsig_valid, get(&one->tsig_valid));
	stats_add(&total->tsig_bad, get(&one->tsig_bad));
	stats_add(&total->axfr_out, get(&one->axfr_out));
	stats_add(&total->ixfr_out, get(&one->ixfr_out));
	stats_add(&total->xfr_refused, get(&one->xfr_refused));
	stats_add(&total->axfr_in, get(&one->axfr_in));
	stats_add(&total->ixfr_in, get(&one->ixfr_in));
	stats_add(&total->xfr_in_failed, get(&one->xfr_in_failed));
	stats_add(&total->xdp_answered, get(&one->xdp_answered));
	stats_add(&total->xdp_tx_full, get(&one->xdp_tx_full));
	stats_add(&total->xdp_redirected, get(&one->xdp_redirected));
	stats_add(&total->xdp_passed, get(&one->xdp_passed));
}

int stats_format(const struct stats *s, char *buf, size_t len, const char *sep)
{
	size_t n = 0;
	unsigned i;

#define PUT(...)                                                               \
	do {                                                                   \
		int r_ = snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__); \
		if (r_ > 0)                                                    \
			n += (size_t)r_;                                       \
	} while (0)
	PUT("udp4=%lu%sudp6=%lu%stcp4=%lu%stcp6=%lu", get(&s->queries[0][0]), sep,
	    get(&s->queries[0][1]), sep, get(&s->queries[1][0]), sep, get(&s->queries[1][1]));
	for (i = 0; i < STATS_RCODE_SLOTS; i++)
		PUT("%s%s=%lu", sep, rcode_names[i], get(&s->answers[i]));
	PUT("%struncated=%lu%sdropped=%lu%sudp-unsent=%lu", sep, get(&s->truncated), sep,
	    get(&s->dropped), sep, get(&s->udp_unsent));
	PUT("%stcp-accepted=%lu%stcp-timed-out=%lu%stcp-evicted=%lu", sep, get(&s->tcp_accepted),
	    sep, get(&s->tcp_timed_out), sep, get(&s->tcp_evicted));
	PUT("%scookie-valid=%lu%scookie-bad=%lu%sbadcookie=%lu", sep, get(&s->cookie_valid),
	    sep, get(&s->cookie_bad), sep, get(&s->badcookie));
	PUT("%srrl-limited=%lu%srrl-slipped=%lu%srrl-dropped=%lu", sep, get(&s->rrl_limited),
	    sep, get(&s->rrl_slipped), sep, get(&s->rrl_dropped));
	PUT("%snotify-sent=%lu%snotify-acked=%lu%snotify-failed=%lu", sep, get(&s->notify_sent),
	    sep, get(&s->notify_acked), sep, get(&s->notify_failed));
	PUT("%stsig-valid=%lu%stsig-bad=%lu", sep, get(&s->tsig_valid), sep, get(&s->tsig_bad));
	PUT("%saxfr-out=%lu%sixfr-out=%lu%sxfr-refused=%lu", sep, get(&s->axfr_out), sep,
	    get(&s->ixfr_out), sep, get(&s->xfr_refused));
	PUT("%saxfr-in=%lu%sixfr-in=%lu%sxfr-in-failed=%lu", sep, get(&s->axfr_in), sep,
	    get(&s->ixfr_in), sep, get(&s->xfr_in_failed));
	PUT("%sxdp-answered=%lu%sxdp-tx-full=%lu%sxdp-redirected=%lu%sxdp-passed=%lu", sep,
	    get(&s->xdp_answered), sep, get(&s->xdp_tx_full), sep, get(&s->xdp_redirected), sep,
	    get(&s->xdp_passed));
#undef PUT
	return (int)n;
}
