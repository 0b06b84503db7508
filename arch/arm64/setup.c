// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 C entry: the MMU and caches are on (head.S, mmu.c); set up what
 * the C library and Partita need, then run the partition manager.
 */
#include "arm64.h"
#include <partita/arch/exit.h>
#include <partita/arch/time.h>
#include <partita/core/main.h>
#include <partita/fdt-util.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <libfdt.h>
#include <stdint.h>

/* picolibc: point TPIDR_EL0 at the static TLS block (errno lives there). */
void _set_tls(void *tls);
extern char __tls_base[];

static uint8_t heap_pool[CONFIG_HEAP_SIZE_KB * 1024UL]
	__attribute__((aligned(4096)));

/* The DTB the loader passed, if it is one. */
static const void *boot_fdt(uint64_t fdt_pa)
{
	const void *fdt = (const void *)(uintptr_t)fdt_pa;
	int err;

	if (!fdt_pa) {
		pr_warn("no device tree passed in x0");
		return NULL;
	}
	err = fdt_check_header(fdt);
	if (err) {
		pr_warn("x0 = 0x%llx is not a device tree: %s",
			(unsigned long long)fdt_pa, fdt_strerror(err));
		return NULL;
	}
	return fdt;
}

/* /chosen/bootargs (QEMU -append), if it is a proper string. */
static const char *fdt_bootargs(const void *fdt)
{
	int chosen, len;
	const char *args;

	if (!fdt || (chosen = fdt_path_offset(fdt, "/chosen")) < 0)
		return NULL;
	args = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (!args || len <= 0 || args[len - 1] != '\0')
		return NULL;
	return args;
}

/* The physical counter counts from the machine's reset (QEMU virt). Not
 * the virtual one: on a CPU that runs a guest, CNTVOFF_EL2 is the
 * guest's. */
uint64_t arch_time_ns(void)
{
	uint64_t cnt, freq;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(cnt));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	if (!freq)
		return 0;
	return cnt / freq * 1000000000ULL + cnt % freq * 1000000000ULL / freq;
}

/* The initrd the loader placed (/chosen/linux,initrd-start/end, QEMU
 * -initrd): guests' images, a FIT. */
static void fdt_initrd(const void *fdt, struct boot_info *bi)
{
	uint64_t start, end;
	int chosen;

	if (!fdt || (chosen = fdt_path_offset(fdt, "/chosen")) < 0 ||
	    !fdt_util_u64(fdt, chosen, "linux,initrd-start", &start) ||
	    !fdt_util_u64(fdt, chosen, "linux,initrd-end", &end) ||
	    end <= start)
		return;
	bi->fit = (const void *)(uintptr_t)start;
	bi->fit_size = end - start;
	pr_info("initrd: %llu bytes at 0x%llx", (unsigned long long)(end - start),
		(unsigned long long)start);
}

void arm64_start(uint64_t fdt_pa)
{
	struct boot_info bi = { .arch = "arm64", .since_reset_ns = arch_time_ns };
	uint64_t el;

	/* TLS data is used in place: the image was loaded into RAM, and
	 * head.S zeroed the TLS BSS with the rest of BSS. */
	_set_tls(__tls_base);
	heap_init(heap_pool, sizeof(heap_pool));

	bi.fdt = boot_fdt(fdt_pa);
	arm64_console_init(bi.fdt);
	arm64_psci_init(bi.fdt);
	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	pr_info("arm64: running at EL%llu", (unsigned long long)(el >> 2));
	arm64_smp_init(bi.fdt, (el >> 2) == 2);
	bi.bootargs = fdt_bootargs(bi.fdt);
	fdt_initrd(bi.fdt, &bi);
	arch_exit(partita_main(&bi));
}
