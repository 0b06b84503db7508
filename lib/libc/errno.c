// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>

/* One CPU, no threads: a plain variable. */
int errno;
