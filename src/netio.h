/* netio.h: placeholder. */
#ifndef DUALNS_NETIO_H
#define DUALNS_NETIO_H
#endif
