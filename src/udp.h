/* udp.h: the UDP side of a worker: one ev_io watcher per socket, datagrams read and answered in batches. */
#ifndef DUALNS_UDP_H
#define DUALNS_UDP_H

#include <stdbool.h>
#include <stddef.h>

#include <ev.h>

struct worker;
struct udp_batch;

/* The watcher of one UDP socket. The socket belongs to the worker's netio_listen. */
struct udp_handler {
	ev_io io;
	struct worker *worker;
	bool wildcard;        /* answer from the query's destination address (PKTINFO) */
	int family;
};

/* Returns the buffers one worker reads and answers a batch of datagrams with (every UDP
 * socket of the worker shares them: a batch is answered before the next read), answers
 * of up to resp_size bytes (the --udp-size limit, 512..65535), or NULL when out of
 * memory. */
struct udp_batch *udp_batch_new(size_t resp_size);
void udp_batch_free(struct udp_batch *b);

/* Starts watching fd (non-blocking, bound) on the worker's loop; w->udp_batch must be
 * set. */
void udp_start(struct udp_handler *h, struct worker *w, int fd, int family, bool wildcard);

/* Stops the watcher; the socket is closed by its owner. */
void udp_stop(struct udp_handler *h);

/* Reads and answers what the socket holds, until it is empty (at most a few thousand
 * datagrams): at shutdown, once netio_udp_withdraw() stopped new ones arriving, so the
 * queries already queued still get answers. */
void udp_drain(struct udp_handler *h);

#endif
