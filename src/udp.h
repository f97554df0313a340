/* SPDX-License-Identifier: BSD-3-Clause */
/* udp.h: the UDP side of a worker: one reader thread per UDP socket, datagrams read and answered in batches. */
#ifndef DUALNS_UDP_H
#define DUALNS_UDP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "log.h"
#include "netio.h"
#include "responder.h"

struct udp_batch;

/* How long a reader waits in recvmmsg() for a datagram before it looks at the stopping
 * flag and the published db again: the most a stop, or the freeing of a db replaced by a
 * reload, waits for an idle reader. A datagram wakes it at once, and it moves to the
 * newest db before answering, so no answer comes from a db older than the reload. */
#define UDP_WAIT_MS 100

/* The thread that answers one UDP socket (a worker's loop thread keeps TCP).
 *
 * Why a thread of its own and not a watcher on the worker's libev loop: a socket that
 * sits in an epoll set has epoll's callback on its wait queue for as long as it is
 * registered, so the kernel runs that callback for every datagram received and, through
 * the write-space wake-up, for every answer sent. A thread that sleeps in recvmmsg()
 * pays nothing per datagram while the queries keep coming, and two system calls a batch
 * (contrib/bench/README.md has the measurements).
 *
 * Everything the thread writes is its own (batch, responder); it follows the published db
 * and reads the stopping flag once per batch, so a batch never mixes two dbs. Nothing
 * wakes it but a datagram or its receive timeout (UDP_WAIT_MS). */
struct udp_reader {
	struct netio_listen *net;      /* the socket (net->udp_fd), withdrawn at stop */
	struct responder *responder;   /* this thread's alone */
	const atomic_bool *stopping;   /* set (release) by whoever stops the reader */
	bool withdraw;                 /* other sockets share the port: leave them the queries */
	pthread_t thread;
	bool running;                  /* started and not yet joined */
	struct udp_batch *batch;       /* buffers for one recvmmsg/sendmmsg batch */
	struct log_ratelimit errors;
};

/* Allocates the reader's buffers for answers of up to the responder's UDP size limit and
 * starts its thread on net->udp_fd (bound), answering through responder, which no other
 * thread may use. The socket is made blocking with a receive timeout (SO_RCVTIMEO): every
 * call on it that must not wait passes MSG_DONTWAIT. The thread runs until it sees
 * *stopping true, within UDP_WAIT_MS of it being set; with withdraw (the socket has
 * SO_REUSEPORT partners, other workers or a newer server) it then leaves the port's
 * group and answers what its socket still holds. The
 * caller has blocked the signals (they belong to the main thread). Returns 0, or -errno
 * with nothing left allocated. */
int udp_reader_start(struct udp_reader *r, struct netio_listen *net, struct responder *responder,
		     const atomic_bool *stopping, bool withdraw);

/* Waits until the reader's thread ends (see udp_reader_start: after *stopping is set)
 * and frees its buffers. A no-op for a reader not running. */
void udp_reader_join(struct udp_reader *r);

#endif
