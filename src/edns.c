/* edns.c: placeholder, being written. */
#include "config.h"
#include "edns.h"
