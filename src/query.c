/* query.c: placeholder, being written. */
#include "config.h"
#include "query.h"
