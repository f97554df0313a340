/* netio.c: placeholder. */
#include "config.h"
#include "netio.h"
