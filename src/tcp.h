/* tcp.h: placeholder. */
#ifndef DUALNS_TCP_H
#define DUALNS_TCP_H
#endif
