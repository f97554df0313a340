/* tcp.c: placeholder. */
#include "config.h"
#include "tcp.h"
