/* server.c: placeholder. */
#include "config.h"
#include "server.h"
