/* encode.c: placeholder, being written. */
#include "config.h"
#include "encode.h"
