/* SPDX-License-Identifier: BSD-3-Clause */
/* echo.c: a do-nothing UDP "server" that returns each datagram with QR set: the load generator's ceiling.
 *
 * Usage: echo PORT [ADDRESS]   (binds ADDRESS:PORT, 127.0.0.1 by default, prints "echo: ready"
 * on stderr, SIGTERM stops it)
 * It batches with recvmmsg/sendmmsg, so it costs the kernel's minimum per datagram and no
 * user-space work: whatever rate dnsperf reaches against it, no DNS server on this machine can
 * beat under the same pinning.
 * ECHO_SPIN_NS=N in the environment makes it spend N ns of CPU per datagram before each
 * batch's answers go out (0: none): an echo with the time an answer takes, to see what that
 * time costs in CPU per query at each load (contrib/bench/README.md, sweep.sh).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define BUFSZ 4096

static volatile sig_atomic_t stop;

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Busy for ns nanoseconds: CPU spent as an answer's work would spend it. */
static void spin(long long ns)
{
	long long end = now_ns() + ns;

	while (now_ns() < end)
		;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	static unsigned char bufs[BATCH][BUFSZ];
	struct sockaddr_in peers[BATCH];
	struct iovec iov[BATCH];
	struct mmsghdr msgs[BATCH];
	struct sockaddr_in sin;
	struct sigaction sa;
	const char *spin_env = getenv("ECHO_SPIN_NS");
	long long spin_ns = spin_env != NULL ? atoll(spin_env) : 0;
	int fd, n, i;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: echo PORT [ADDRESS]\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term; /* no SA_RESTART: recvmmsg returns EINTR and the loop ends */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	/* A deep receive queue, as NSD and Knot ask for, so a burst is not dropped (FORCE needs root). */
	n = 4 * 1024 * 1024;
	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &n, sizeof(n)) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &n, sizeof(n));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (argc == 3 && inet_pton(AF_INET, argv[2], &sin.sin_addr) != 1) {
		fprintf(stderr, "echo: %s is not an IPv4 address\n", argv[2]);
		return 2;
	}	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		perror("echo: bind");
		return 1;
	}
	fprintf(stderr, "echo: ready on %s port %s\n", argc == 3 ? argv[2] : "127.0.0.1", argv[1]);
	while (!stop) {
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = BUFSZ;
			memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &peers[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(peers[i]);
		}
		n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("echo: recvmmsg");
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (msgs[i].msg_len >= 3)
				bufs[i][2] |= 0x80; /* QR */
			iov[i].iov_len = msgs[i].msg_len;
		}
		if (spin_ns > 0)
			spin(spin_ns * n);
		if (sendmmsg(fd, msgs, (unsigned)n, 0) < 0 && errno != EINTR)
			perror("echo: sendmmsg");
	}
	close(fd);
	return 0;
}
