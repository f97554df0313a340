/* wire.c: placeholder, being written. */
#include "config.h"
#include "wire.h"
