/* server.h: placeholder. */
#ifndef DUALNS_SERVER_H
#define DUALNS_SERVER_H
#endif
