/* udp.h: the UDP side of a worker: one reader thread per UDP socket, datagrams read and answered in batches. */
#ifndef DUALNS_UDP_H
#define DUALNS_UDP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "log.h"
#include "netio.h"
#include "query.h"
#include "stats.h"
#include "zonedb.h"

struct worker;
struct udp_batch;

/* The thread that answers one UDP socket of a worker (the worker's loop thread keeps TCP).
 *
 * Why a thread of its own and not a watcher on the worker's libev loop: a socket that
 * sits in an epoll set has epoll's callback on its wait queue for as long as it is
 * registered, so the kernel runs that callback for every datagram received and, through
 * the write-space wake-up, for every answer sent. A thread that asks poll() only when
 * the socket is empty pays nothing per datagram while the queries keep coming. On the
 * capped UDP load of contrib/bench (server at half a CPU) two A/B sets of 5 rounds gave
 * medians of 3% and 10% more queries answered.
 *
 * Everything the thread writes is its own (batch, query scratch, counters, the db it
 * answers from); it reads the server's current db and stopping flag once per batch, so a
 * batch never mixes two dbs. */
struct udp_reader {
	struct worker *worker;
	struct netio_listen *net;      /* the socket (net->udp_fd), withdrawn at stop */
	pthread_t thread;
	bool running;                  /* started and not yet joined */
	int doorbell[2];               /* pipe: the main thread's wake-up, for a new db or stop */
	/* The db this thread answers from, and the same pointer published for the main
	 * thread's reclaim (as struct worker's db and db_in_use). */
	const struct db *db;
	_Atomic(const struct db *) db_in_use;
	struct query query;            /* scratch reused by every query of this socket */
	struct udp_batch *batch;       /* buffers for one recvmmsg/sendmmsg batch */
	struct log_ratelimit errors;
	struct stats stats;            /* this thread's counters, summed by server_stats() */
};

/* Allocates the reader's buffers for answers of up to the server's --udp-size and starts
 * its thread on net->udp_fd (non-blocking, bound). The caller has blocked the signals
 * (they belong to the main thread). Returns 0, or -errno with nothing left allocated. */
int udp_reader_start(struct udp_reader *r, struct worker *w, struct netio_listen *net);

/* Wakes the reader if it waits for datagrams, so that it looks at the server's db and
 * stopping flag now. Safe from any thread; a no-op for a reader not running. */
void udp_reader_ring(struct udp_reader *r);

/* Waits until the reader's thread ends (the server's stopping flag was set and the reader
 * rung: with other sockets on the port it first withdraws its socket and answers what it
 * holds) and frees its buffers. A no-op for a reader not running. */
void udp_reader_join(struct udp_reader *r);

#endif
