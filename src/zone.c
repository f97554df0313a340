/* zone.c: placeholder, being written. */
#include "config.h"
#include "zone.h"
