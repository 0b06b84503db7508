// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Polled PL011 output, enough for the boot log. QEMU's model needs no
 * baud or line setup; on hardware the loader has configured the UART.
 */
#include "arm64.h"
#include <partita/spinlock.h>
#include <partita/fdt-util.h>
#include <partita/log.h>
#include <stdint.h>

#define UARTDR          0x00
#define UARTFR          0x18
#define UARTFR_TXFF     (1u << 5)

/* QEMU virt's UART0, used until (or unless) the device tree says better. */
#define VIRT_UART0      0x09000000UL

static volatile uint8_t *uart_base = (volatile uint8_t *)VIRT_UART0;

static bool is_pl011(const void *fdt, int node)
{
	return node >= 0 &&
	       fdt_node_check_compatible(fdt, node, "arm,pl011") == 0;
}

void arm64_console_init(const void *fdt)
{
	uint64_t addr, size;
	int node;

	if (!fdt)
		return;
	node = fdt_util_stdout_node(fdt);
	if (!is_pl011(fdt, node))
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (node >= 0 && fdt_util_reg(fdt, node, 0, &addr, &size) &&
	    size >= 0x1000)
		uart_base = (volatile uint8_t *)(uintptr_t)addr;
}

static void pl011_putc(char c)
{
	volatile uint32_t *fr = (volatile uint32_t *)(uart_base + UARTFR);
	volatile uint32_t *dr = (volatile uint32_t *)(uart_base + UARTDR);

	while (*fr & UARTFR_TXFF)
		;
	*dr = (uint8_t)c;
}

void arm64_console_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			pl011_putc('\r');
		pl011_putc(*s);
	}
}

/* The log's sink: one console for every level, one line at a time
 * whichever CPU writes it (guests' exits run on their own CPUs). */
void arch_console_write(enum log_level level, const char *line)
{
	static spinlock_t lock = SPINLOCK_INIT;

	spin_lock(&lock);
	arm64_console_puts(line);
	spin_unlock(&lock);
}
