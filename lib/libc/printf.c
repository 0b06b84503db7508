// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vsnprintf for the freestanding target: the C11 conversions Partita uses
 * (d i u o x X c s p %), flags - 0 + space #, width and precision (also
 * as *), lengths hh h l ll z j t. No floating point. Returns the length
 * the full output would have, like C11, and always NUL-terminates when
 * size > 0.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;     /* characters produced so far, written or not */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;       /* -1: none */
};

/* Emit [prefix][zeros][digits] inside the field width. */
static void put_number(struct out *o, const struct spec *sp, uintmax_t v,
		       unsigned base, bool upper, bool neg)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[64], prefix[3] = { 0 };
	int n = 0, zeros, total, plen;

	while (v) {
		tmp[n++] = dig[v % base];
		v /= base;
	}
	if (sp->prec < 0 && n == 0)
		tmp[n++] = '0';
	if (neg)
		prefix[0] = '-';
	else if (sp->plus)
		prefix[0] = '+';
	else if (sp->space)
		prefix[0] = ' ';
	if (sp->alt && base == 16 && n && !(n == 1 && tmp[0] == '0')) {
		prefix[0] = '0';
		prefix[1] = upper ? 'X' : 'x';
	}
	if (sp->alt && base == 8 && (n == 0 || tmp[n - 1] != '0') &&
	    sp->prec <= n)
		tmp[n++] = '0';
	plen = (int)strlen(prefix);
	zeros = sp->prec > n ? sp->prec - n : 0;
	if (sp->zero && !sp->left && sp->prec < 0 &&
	    sp->width > plen + n)
		zeros = sp->width - plen - n;
	total = plen + zeros + n;
	if (!sp->left)
		pad(o, ' ', sp->width - total);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - total);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	int n;

	if (!s)
		s = "(null)";
	n = (int)(sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s));
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE,
	      LEN_MAX, LEN_PTRDIFF };

static uintmax_t get_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	case LEN_MAX: return va_arg(*ap, uintmax_t);
	case LEN_PTRDIFF: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static intmax_t get_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR: return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return (intmax_t)va_arg(*ap, size_t);
	case LEN_MAX: return va_arg(*ap, intmax_t);
	case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static int get_int(const char **f, va_list *ap)
{
	int v = 0;

	if (**f == '*') {
		(*f)++;
		return va_arg(*ap, int);
	}
	while (**f >= '0' && **f <= '9')
		v = v * 10 + (*(*f)++ - '0');
	return v;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
	      va_list args)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, args);
	for (const char *f = fmt; *f; f++) {
		struct spec sp = { .prec = -1 };
		enum length len = LEN_INT;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		for (;; f++) {
			char c = f[1];

			if (c == '-')
				sp.left = true;
			else if (c == '0')
				sp.zero = true;
			else if (c == '+')
				sp.plus = true;
			else if (c == ' ')
				sp.space = true;
			else if (c == '#')
				sp.alt = true;
			else
				break;
		}
		f++;
		sp.width = get_int(&f, &ap);
		if (sp.width < 0) {
			sp.left = true;
			sp.width = -sp.width;
		}
		if (*f == '.') {
			f++;
			sp.prec = get_int(&f, &ap);
			if (sp.prec < 0)
				sp.prec = -1;
		}
		switch (*f) {
		case 'h':
			len = f[1] == 'h' ? (f++, LEN_CHAR) : LEN_SHORT;
			f++;
			break;
		case 'l':
			len = f[1] == 'l' ? (f++, LEN_LLONG) : LEN_LONG;
			f++;
			break;
		case 'z': len = LEN_SIZE; f++; break;
		case 'j': len = LEN_MAX; f++; break;
		case 't': len = LEN_PTRDIFF; f++; break;
		default: break;
		}
		switch (*f) {
		case 'd':
		case 'i': {
			intmax_t v = get_signed(&ap, len);
			uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;

			put_number(&o, &sp, mag, 10, false, v < 0);
			break;
		}
		case 'u':
			put_number(&o, &sp, get_unsigned(&ap, len), 10, false, false);
			break;
		case 'o':
			put_number(&o, &sp, get_unsigned(&ap, len), 8, false, false);
			break;
		case 'x':
		case 'X':
			put_number(&o, &sp, get_unsigned(&ap, len), 16, *f == 'X',
				   false);
			break;
		case 'p':
			sp.alt = true;
			put_number(&o, &sp, (uintptr_t)va_arg(ap, void *), 16,
				   false, false);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			if (!sp.left)
				pad(&o, ' ', sp.width - 1);
			put(&o, c);
			if (sp.left)
				pad(&o, ' ', sp.width - 1);
			break;
		}
		case 's':
			put_string(&o, &sp, va_arg(ap, const char *));
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown conversion: print it as written. */
			put(&o, '%');
			if (!*f)
				goto done;
			put(&o, *f);
			break;
		}
	}
done:
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
