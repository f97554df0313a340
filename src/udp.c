/* udp.c: placeholder. */
#include "config.h"
#include "udp.h"
