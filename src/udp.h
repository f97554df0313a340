/* udp.h: the UDP side of a worker: one ev_io watcher per socket, one answer per datagram. */
#ifndef DUALNS_UDP_H
#define DUALNS_UDP_H

#include <stdbool.h>

#include <ev.h>

struct worker;

/* The watcher of one UDP socket. The socket belongs to the worker's netio_listen. */
struct udp_handler {
	ev_io io;
	struct worker *worker;
	bool wildcard;        /* answer from the query's destination address (PKTINFO) */
	int family;
};

/* Starts watching fd (non-blocking, bound) on the worker's loop. */
void udp_start(struct udp_handler *h, struct worker *w, int fd, int family, bool wildcard);

/* Stops the watcher; the socket is closed by its owner. */
void udp_stop(struct udp_handler *h);

#endif
