/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_tcp.c: libFuzzer target for DNS over TCP (tcp.c, RFC 7766): the input is what one
 * client writes on one connection, in writes whose sizes the input chooses, and tcp.c on
 * a loop of its own answers it through a responder, as a worker's loop does. Nothing may crash, hang or leak, and what comes back must be:
 *  - whole length-prefixed messages, each a response (QR) of at least a header;
 *  - in order, the n-th answering the n-th complete message the client sent (pipelining,
 *    RFC 7766 section 6.2.1.1), never more answers than messages;
 *  - and once the client has finished writing, a closed connection, with the worker's
 *    connection table empty again.
 * The connection is an AF_UNIX stream (abstract name): tcp.c sees an ordinary stream
 * socket, and millions of runs leave no TCP ports in TIME_WAIT.
 *
 * Input: byte 0 sets the write size (1 + byte0 % 64 bytes, or the whole rest when byte0
 * is 0), then the byte stream the client sends. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <ev.h>

#include "dbswap.h"
#include "dns.h"
#include "log.h"
#include "responder.h"
#include "tcp.h"
#include "zonedb.h"
#include "fuzz_check.h"

#ifndef FUZZ_DATADIR
#define FUZZ_DATADIR "tests/data"
#endif

/* Loop turns without progress before the run counts as hung. */
#define SPIN_MAX 100000
/* Answers beyond this are not kept (only counted and checked as they come). */
#define REPLY_MAX (1u << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct query_config fuzz_config = { .udp_size = DNS_UDP_DEFAULT };
static struct dbswap fuzz_dbs;
static struct responder fuzz_responder;
static struct ev_loop *fuzz_loop;
static struct tcp_server fuzz_tcp;
static struct tcp_listener fuzz_listener;
static struct sockaddr_un fuzz_addr;
static socklen_t fuzz_addr_len;
static uint8_t *fuzz_reply;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct zone_source src = { .origin = NULL, .path = NULL };
	char path[4096];
	const char *dir = getenv("DUALNS_FUZZ_DATADIR");
	struct db *db;
	size_t failed = 0;
	int lfd;

	(void)argc;
	(void)argv;
	log_init("fuzz_tcp", LOG_LEVEL_ERROR);
	snprintf(path, sizeof(path), "%s/example.test.zone", dir ? dir : FUZZ_DATADIR);
	src.path = path;
	db = zonedb_load(&src, 1, &failed);
	FUZZ_REQUIRE(db != NULL && failed == 0, "tests/data/example.test.zone did not load");
	dbswap_init(&fuzz_dbs, db);
	responder_init(&fuzz_responder, &fuzz_dbs, &fuzz_config, false);
	fuzz_loop = ev_loop_new(EVFLAG_AUTO);
	FUZZ_REQUIRE(fuzz_loop != NULL, "no event loop");
	tcp_server_init(&fuzz_tcp, fuzz_loop, &fuzz_responder, 16, 10.0);

	fuzz_addr.sun_family = AF_UNIX;
	/* Abstract name (leading NUL): no file, no path length limit from the build tree. */
	fuzz_addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				    (size_t)snprintf(fuzz_addr.sun_path + 1, sizeof(fuzz_addr.sun_path) - 1,
						     "dualns-fuzz-tcp-%ld", (long)getpid()));
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	FUZZ_REQUIRE(lfd >= 0, "no socket");
	FUZZ_REQUIRE(bind(lfd, (struct sockaddr *)&fuzz_addr, fuzz_addr_len) == 0, "bind");
	FUZZ_REQUIRE(listen(lfd, 16) == 0, "listen");
	tcp_listener_start(&fuzz_tcp, &fuzz_listener, lfd);
	fuzz_reply = malloc(REPLY_MAX);
	FUZZ_REQUIRE(fuzz_reply != NULL, "out of memory");
	return 0;
}

/* The IDs of the complete messages in the client's stream, in order, up to the first
 * length that tcp.c must refuse (under a header: the connection closes there). */
static size_t complete_messages(uint16_t *ids, size_t max, const uint8_t *s, size_t len)
{
	size_t off = 0, n = 0;

	while (n < max && off + 2 <= len) {
		size_t mlen = (size_t)s[off] << 8 | s[off + 1];

		if (mlen < DNS_HEADER_SIZE || off + 2 + mlen > len)
			break;
		ids[n++] = (uint16_t)(s[off + 2] << 8 | s[off + 3]);
		off += 2 + mlen;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint16_t ids[65536];
	struct ev_loop *loop = fuzz_loop;
	size_t chunk, sent = 0, got = 0, checked = 0, answers = 0, nmsg;
	unsigned spins = 0;
	bool eof = false, write_done = false;
	int fd;

	if (size < 1 || size > 256 * 1024)
		return 0;
	chunk = data[0] ? 1u + data[0] % 64u : size;
	data++;
	size--;
	nmsg = complete_messages(ids, sizeof(ids) / sizeof(ids[0]), data, size);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	FUZZ_REQUIRE(fd >= 0, "no client socket");
	FUZZ_REQUIRE(connect(fd, (struct sockaddr *)&fuzz_addr, fuzz_addr_len) == 0, "connect");

	while (!eof) {
		bool progress = false;
		ssize_t n;

		if (!write_done) {
			size_t want = size - sent < chunk ? size - sent : chunk;

			n = want ? send(fd, data + sent, want, MSG_NOSIGNAL) : 0;
			if (n > 0) {
				sent += (size_t)n;
				progress = true;
			} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				write_done = true; /* the server closed: EPIPE, ECONNRESET */
			}
			if (sent == size) {
				shutdown(fd, SHUT_WR);
				write_done = true;
			}
		}
		ev_run(loop, EVRUN_NOWAIT);
		n = recv(fd, fuzz_reply + got, REPLY_MAX - got, 0);
		if (n > 0) {
			got += (size_t)n;
			progress = true;
		} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			eof = true;
		}
		/* Check every whole answer that came, then drop it from the buffer. */
		while (got - checked >= 2) {
			size_t rlen = (size_t)fuzz_reply[checked] << 8 | fuzz_reply[checked + 1];

			if (got - checked < 2 + rlen)
				break;
			FUZZ_REQUIRE(rlen >= DNS_HEADER_SIZE, "an answer shorter than a header");
			FUZZ_REQUIRE(fuzz_reply[checked + 4] & 0x80, "an answer without QR");
			FUZZ_REQUIRE(answers < nmsg, "more answers than complete messages");
			FUZZ_REQUIRE((uint16_t)(fuzz_reply[checked + 2] << 8 | fuzz_reply[checked + 3]) ==
					ids[answers],
				"an answer out of order (its ID is not the next message's)");
			answers++;
			checked += 2 + rlen;
		}
		if (checked == got)
			got = checked = 0;
		FUZZ_REQUIRE(got < REPLY_MAX, "an answer larger than the buffer");
		spins = progress ? 0 : spins + 1;
		FUZZ_REQUIRE(spins < SPIN_MAX, "the connection neither answers nor closes");
	}
	FUZZ_REQUIRE(got == checked, "the connection closed in the middle of an answer");
	close(fd);
	/* The server saw the end of the stream (or refused it): the connection is gone. */
	ev_run(loop, EVRUN_NOWAIT);
	FUZZ_REQUIRE(fuzz_tcp.count == 0, "tcp.c kept a closed connection");
	return 0;
}
