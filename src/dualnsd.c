/* dualnsd.c: placeholder main. */
#include "config.h"
int main(void) { return 0; }
