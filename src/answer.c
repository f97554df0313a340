/* answer.c: placeholder, being written. */
#include "config.h"
#include "answer.h"
