/* SPDX-License-Identifier: BSD-3-Clause */
/* main.c: dualq's entry point: parse options, run the legs, judge them, print, pick the exit code. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client/exchange.h"
#include "client/options.h"
#include "client/output.h"
#include "client/validate.h"
#include "client/verdicts.h"

/* Exit codes are part of dualq's contract (dualq(1)). */
enum { EXIT_ANSWER = 0, EXIT_USAGE = 1, EXIT_NOANSWER = 2, EXIT_VERDICT = 3 };

static const char *leg_error(char *buf, size_t buflen, const struct dualq_options *opt,
			     const struct leg *l)
{
	if (l->err == -ETIMEDOUT && !l->tcp)
		snprintf(buf, buflen, "udp: no reply in %u %s of %u ms", l->ntries,
			 l->ntries == 1 ? "try" : "tries", opt->timeout_ms);
	else if (l->err == -ECONNREFUSED && !l->tcp)
		snprintf(buf, buflen, "udp: port unreachable (nothing listens)");
	else if (l->err == -ETIMEDOUT)
		snprintf(buf, buflen, "tcp %s: timed out after %u ms", l->err_stage, opt->timeout_ms);
	else if (l->err == -ECONNRESET)
		snprintf(buf, buflen, "tcp %s: connection closed before the whole reply", l->err_stage);
	else
		snprintf(buf, buflen, "%s %s: %s", l->tcp ? "tcp" : "udp", l->err_stage, strerror(-l->err));
	return buf;
}

int main(int argc, char **argv)
{
	struct dualq_options opt;
	struct exchange ex;
	struct verdicts vd;
	char err[256], resolv[256];
	const char *server;
	ldns_rr_list *anchor = NULL;

	options_init(&opt);
	if (options_parse(&opt, err, sizeof(err), argc, argv) < 0) {
		fprintf(stderr, "dualq: %s (dualq -h for usage)\n", err);
		return EXIT_USAGE;
	}
	if (opt.help) {
		fputs(options_usage, stdout);
		return EXIT_ANSWER;
	}
	if (opt.version) {
		printf("dualq (%s)\n", PACKAGE_STRING);
		return EXIT_ANSWER;
	}
	if (opt.validate) {
		int rc = validate_load_anchor(&anchor, err, sizeof(err), opt.anchor);
		if (rc == -EINVAL) {
			fprintf(stderr, "dualq: +anchor: %s\n", err);
			return EXIT_USAGE;
		}
		if (rc < 0) {
			fprintf(stderr, "dualq: +anchor: %s: %s\n", opt.anchor, strerror(-rc));
			return EXIT_USAGE;
		}
	}
	server = opt.server;
	if (server[0] == '\0') {
		int rc = options_resolv_conf_server(resolv, sizeof(resolv), DUALQ_RESOLV_CONF);
		if (rc < 0) {
			fprintf(stderr, "dualq: no server given and none in %s: %s\n", DUALQ_RESOLV_CONF,
				rc == -ENOENT ? "no nameserver line" : strerror(-rc));
			return EXIT_NOANSWER;
		}
		server = resolv;
		if (options_check_family(err, sizeof(err), server, opt.family,
					 " (from " DUALQ_RESOLV_CONF ")") < 0) {
			fprintf(stderr, "dualq: %s (dualq -h for usage)\n", err);
			return EXIT_USAGE;
		}
	}

	memset(&ex, 0, sizeof(ex));
	int qrc = options_query(&ex.q, &opt);
	if (qrc == -EINVAL) {
		fprintf(stderr, "dualq: %s is not a valid domain name (dualq -h for usage)\n", opt.name);
		return EXIT_USAGE;
	}
	if (qrc < 0) {
		fprintf(stderr, "dualq: no random client cookie: %s\n", strerror(-qrc));
		return EXIT_NOANSWER;
	}
	if (exchange_resolve(&ex.server, &ex.server_len, err, sizeof(err), server, opt.port,
			     opt.family) < 0) {
		fprintf(stderr, "dualq: %s port %u: %s\n", server, opt.port, err);
		return EXIT_NOANSWER;
	}
	if (opt.source != NULL && exchange_set_source(&ex, opt.source) < 0) {
		fprintf(stderr, "dualq: -b %s: not an address of the server's family (%s) (dualq -h for usage)\n",
			opt.source, ex.server.ss_family == AF_INET6 ? "IPv6" : "IPv4");
		return EXIT_USAGE;
	}

	/* The legs: UDP first unless +tcp; UDP once more with the server cookie of a BADCOOKIE
	 * reply, and TCP when that is BADCOOKIE again (RFC 7873 section 5.3); TCP to the same
	 * address and port when UDP came back truncated (RFC 1035 section 4.2.1, RFC 7766
	 * section 5) or +compare asks. Every leg after a reply that echoed our client cookie
	 * sends the server cookie it carried. */
	if (opt.tcp_only) {
		ex.why_tcp = EXCHANGE_TCP_ONLY;
		exchange_tcp(&ex.legs[ex.nlegs++], &ex, opt.timeout_ms);
	} else {
		struct leg *udp = &ex.legs[ex.nlegs++];
		struct msg_view v;
		bool badcookie = false;
		if (exchange_udp(udp, &ex, opt.timeout_ms, opt.tries) == 0 &&
		    msg_parse(&v, udp->reply, udp->reply_len) == 0 && ex.q.cookie_len > 0 &&
		    exchange_learn_cookie(&ex.q, &v) && msg_rcode(&v) == RCODE_BADCOOKIE) {
			udp = &ex.legs[ex.nlegs++];
			exchange_udp(udp, &ex, opt.timeout_ms, opt.tries);
			udp->badcookie_retry = true;
			if (udp->reply != NULL && msg_parse(&v, udp->reply, udp->reply_len) == 0) {
				exchange_learn_cookie(&ex.q, &v);
				badcookie = msg_rcode(&v) == RCODE_BADCOOKIE;
			}
		}
		if (udp->reply != NULL && !opt.ignore_tc) {
			bool tc = msg_parse(&v, udp->reply, udp->reply_len) == 0 && (v.flags & DNS_FLAG_TC);
			if (tc || badcookie || opt.compare) {
				ex.why_tcp = badcookie ? EXCHANGE_TCP_BADCOOKIE
					   : tc ? EXCHANGE_TCP_TC : EXCHANGE_TCP_COMPARE;
				exchange_tcp(&ex.legs[ex.nlegs++], &ex, opt.timeout_ms);
			}
		}
	}

	int failed = verdicts_check(&vd, &ex), status = EXIT_ANSWER;
	if (anchor != NULL && output_final_leg(&ex) != NULL)
		failed += validate_answer(&vd, &ex, anchor, opt.timeout_ms);
	ldns_rr_list_deep_free(anchor);
	if (opt.json) {
		int rc = output_json(stdout, &opt, server, &ex, &vd);
		if (rc < 0) {
			fprintf(stderr, "dualq: cannot write the JSON document: %s\n", strerror(-rc));
			status = EXIT_NOANSWER;
		}
	} else if (opt.short_out) {
		output_short(stdout, &ex);
	} else {
		output_text(stdout, &opt, server, &ex, &vd);
	}
	fflush(stdout);

	for (size_t i = 0; i < ex.nlegs; i++) {
		if (ex.legs[i].err != 0) {
			bool after_tc = ex.legs[i].tcp && ex.why_tcp == EXCHANGE_TCP_TC;
			fprintf(stderr, "dualq: %s port %u: %s%s\n", server, opt.port,
				leg_error(err, sizeof(err), &opt, &ex.legs[i]),
				after_tc ? ", after a truncated udp answer: a server that truncates "
					   "must answer over tcp (RFC 7766 section 5)" : "");
			status = EXIT_NOANSWER;
			break;
		}
	}
	if (status == EXIT_ANSWER && failed > 0) {
		for (size_t i = 0; i < vd.n; i++) {
			if (!vd.v[i].ok) {
				fprintf(stderr, "dualq: %s port %u: check failed (%s): %s%s\n", server,
					opt.port, vd.v[i].rfc, vd.v[i].check,
					failed > 1 ? " (and more, see the verdicts)" : "");
				break;
			}
		}
		status = EXIT_VERDICT;
	}
	exchange_free(&ex);
	return status;
}
