// SPDX-License-Identifier: GPL-2.0-or-later
/* The guest's PL011 (include/partita/virt/devices/pl011.h). */
#include <partita/virt/devices/pl011.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UARTDR     0x000
#define UARTRSR    0x004
#define UARTFR     0x018
#define  FR_TXFE   (1u << 7)
#define  FR_RXFE   (1u << 4)
#define UARTILPR   0x020
#define UARTIBRD   0x024
#define UARTFBRD   0x028
#define UARTLCR_H  0x02c
#define UARTCR     0x030
#define UARTIFLS   0x034
#define UARTIMSC   0x038
#define UARTRIS    0x03c
#define UARTMIS    0x040
#define UARTICR    0x044
#define UARTDMACR  0x048
#define UARTPERIPHID0 0xfe0

/* PeriphID0..3 (part 0x011, designer Arm, revision r1p5) and the
 * PrimeCell ids, as Linux's AMBA bus reads them. */
static const uint8_t ids[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static void parse_status(struct pl011 *u, const char *text)
{
	static const char tag[] = "EXIT: STATUS=";
	char *end;
	long v;

	if (strncmp(text, tag, sizeof(tag) - 1))
		return;
	v = strtol(text + sizeof(tag) - 1, &end, 10);
	if (end == text + sizeof(tag) - 1 || *end || v < 0 || v > 255)
		return;
	u->has_status = true;
	u->status = (int)v;
}

static void emit_line(struct pl011 *u)
{
	char out[PL011_LINE_MAX + 48];

	u->line[u->len] = '\0';
	parse_status(u, u->line);
	snprintf(out, sizeof(out), "[%s] %s", u->id, u->line);
	u->emit(u->opaque, out);
	u->len = 0;
}

static void put_char(struct pl011 *u, uint8_t c)
{
	if (c == '\n') {
		emit_line(u);
		return;
	}
	if (c == '\r')
		return;            /* terminals' CR LF: the line ends at LF */
	/* Nothing the console would misread: control bytes shown as '.'. */
	u->line[u->len++] = (c < 0x20 && c != '\t') || c == 0x7f ? '.' : (char)c;
	if (u->len == PL011_LINE_MAX)
		emit_line(u);
}

static uint64_t pl011_read(void *opaque, uint64_t addr, unsigned size)
{
	struct pl011 *u = opaque;

	(void)size;
	switch (addr) {
	case UARTFR:    return FR_TXFE | FR_RXFE;
	case UARTIBRD:  return u->ibrd;
	case UARTFBRD:  return u->fbrd;
	case UARTLCR_H: return u->lcr_h;
	case UARTCR:    return u->cr;
	case UARTIFLS:  return u->ifls;
	case UARTIMSC:  return u->imsc;
	default:
		if (addr >= UARTPERIPHID0 && addr < UARTPERIPHID0 + 0x20 &&
		    !(addr & 3))
			return ids[(addr - UARTPERIPHID0) / 4];
		return 0;       /* DR (nothing received), RSR, RIS, MIS ... */
	}
}

static void pl011_write(void *opaque, uint64_t addr, uint64_t v, unsigned size)
{
	struct pl011 *u = opaque;

	(void)size;
	switch (addr) {
	case UARTDR:
		u->writes++;
		put_char(u, (uint8_t)v);
		break;
	case UARTIBRD:  u->ibrd = (uint32_t)v & 0xffff; break;
	case UARTFBRD:  u->fbrd = (uint32_t)v & 0x3f; break;
	case UARTLCR_H: u->lcr_h = (uint32_t)v & 0xff; break;
	case UARTCR:    u->cr = (uint32_t)v & 0xffff; break;
	case UARTIFLS:  u->ifls = (uint32_t)v & 0x3f; break;
	case UARTIMSC:  u->imsc = (uint32_t)v & 0x7ff; break;
	default:        break;  /* ICR, RSR, DMACR: nothing pending to clear */
	}
}

static const MemoryRegionOps pl011_ops = {
	.read = pl011_read,
	.write = pl011_write,
	.max_access_size = 4,
};

bool pl011_init(struct pl011 *u, MemoryContext *ctx, const char *id,
		void (*emit)(void *opaque, const char *line), void *opaque,
		Error **errp)
{
	memset(u, 0, sizeof(*u));
	u->id = id;
	u->emit = emit;
	u->opaque = opaque;
	u->ifls = 0x12;                 /* the reset value */
	u->cr = 0x300;                  /* TXE, RXE */
	return memory_region_init_io(&u->mmio, ctx, &pl011_ops, u, "pl011",
				     PL011_MMIO_SIZE, errp);
}

void pl011_fini(struct pl011 *u)
{
	if (u->len)
		emit_line(u);
	memory_region_finalize(&u->mmio);
}

bool pl011_exit_status(const struct pl011 *u, int *status)
{
	if (u->has_status)
		*status = u->status;
	return u->has_status;
}
