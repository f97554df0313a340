/* udp.h: placeholder. */
#ifndef DUALNS_UDP_H
#define DUALNS_UDP_H
#endif
