/* options.c: placeholder. */
#include "config.h"
#include "options.h"
