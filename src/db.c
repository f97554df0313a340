/* db.c: placeholder, being written. */
#include "config.h"
#include "db.h"
