// SPDX-License-Identifier: GPL-2.0-or-later
/* strtoul/strtoull as C11 7.22.1.4: whitespace, sign, base prefixes,
 * ERANGE on overflow, *end at the first unused character. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

static int digit(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 99;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	const char *p = s, *digits;
	unsigned long long v = 0;
	bool neg = false, overflow = false;

	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digit(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	digits = p;
	for (; digit(*p) < base; p++) {
		unsigned d = (unsigned)digit(*p);

		if (v > (ULLONG_MAX - d) / (unsigned)base)
			overflow = true;
		else
			v = v * (unsigned)base + d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	if (overflow) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return neg ? -v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	/* LP64: unsigned long and unsigned long long are the same width. */
	_Static_assert(sizeof(unsigned long) == sizeof(unsigned long long),
		       "LP64 expected");
	return (unsigned long)strtoull(s, end, base);
}
