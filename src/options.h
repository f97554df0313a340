/* options.h: placeholder. */
#ifndef DUALNS_OPTIONS_H
#define DUALNS_OPTIONS_H
#endif
