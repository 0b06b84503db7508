// SPDX-License-Identifier: GPL-2.0-or-later
/* The guest's device tree (include/partita/virt/guest-dt.h). */
#include <partita/virt/guest-dt.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#define PCLK_PHANDLE 1
#define GIC_PHANDLE  2
#define GIC_PPI      1
#define IRQ_LEVEL_HIGH 4
#define PCLK_HZ      24000000u

static int reg64(void *fdt, int node, uint64_t addr, uint64_t size)
{
	fdt64_t cells[2] = { cpu_to_fdt64(addr), cpu_to_fdt64(size) };

	return fdt_setprop(fdt, node, "reg", cells, sizeof(cells));
}

/* Each libfdt call's error kept until the end: the first one counts. */
#define TRY(x) do { if (!err) { int r_ = (x); if (r_ < 0) err = r_; } } while (0)

static int write_tree(void *fdt, size_t size, const struct guest_dt *g)
{
	static const char compat_psci[] = "arm,psci-1.0\0arm,psci-0.2";
	static const char compat_uart[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	fdt32_t clocks[2] = { cpu_to_fdt32(PCLK_PHANDLE),
			      cpu_to_fdt32(PCLK_PHANDLE) };
	char name[48];
	int err = 0, node = 0, cpus = 0;

	TRY(fdt_create_empty_tree(fdt, (int)size));
	TRY(fdt_setprop_u32(fdt, 0, "#address-cells", 2));
	TRY(fdt_setprop_u32(fdt, 0, "#size-cells", 2));
	TRY(fdt_setprop_string(fdt, 0, "compatible", "partita,guest"));
	TRY(fdt_setprop_string(fdt, 0, "model", "Partita partition"));

	snprintf(name, sizeof(name), "memory@%llx",
		 (unsigned long long)g->ram_addr);
	TRY(node = fdt_add_subnode(fdt, 0, name));
	TRY(fdt_setprop_string(fdt, node, "device_type", "memory"));
	TRY(reg64(fdt, node, g->ram_addr, g->ram_size));

	TRY(cpus = fdt_add_subnode(fdt, 0, "cpus"));
	TRY(fdt_setprop_u32(fdt, cpus, "#address-cells", 1));
	TRY(fdt_setprop_u32(fdt, cpus, "#size-cells", 0));
	/* libfdt puts a new subnode first: made last to first, they read
	 * cpu@0, cpu@1, ... */
	for (unsigned i = g->cpus; !err && i-- > 0;) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		TRY(node = fdt_add_subnode(fdt, cpus, name));
		TRY(fdt_setprop_string(fdt, node, "device_type", "cpu"));
		TRY(fdt_setprop_string(fdt, node, "compatible", "arm,armv8"));
		TRY(fdt_setprop_u32(fdt, node, "reg", i));
		TRY(fdt_setprop_string(fdt, node, "enable-method", "psci"));
	}

	TRY(node = fdt_add_subnode(fdt, 0, "psci"));
	TRY(fdt_setprop(fdt, node, "compatible", compat_psci, sizeof(compat_psci)));
	TRY(fdt_setprop_string(fdt, node, "method", g->psci_method));

	if (g->gicd_addr) {
		fdt64_t gic_reg[4] = {
			cpu_to_fdt64(g->gicd_addr), cpu_to_fdt64(0x1000),
			cpu_to_fdt64(g->gicc_addr), cpu_to_fdt64(0x2000),
		};

		snprintf(name, sizeof(name), "intc@%llx",
			 (unsigned long long)g->gicd_addr);
		TRY(node = fdt_add_subnode(fdt, 0, name));
		TRY(fdt_setprop_string(fdt, node, "compatible",
				       "arm,cortex-a15-gic"));
		TRY(fdt_setprop_empty(fdt, node, "interrupt-controller"));
		TRY(fdt_setprop_u32(fdt, node, "#interrupt-cells", 3));
		/* No unit address in interrupt-map entries that point here. */
		TRY(fdt_setprop_u32(fdt, node, "#address-cells", 0));
		TRY(fdt_setprop(fdt, node, "reg", gic_reg, sizeof(gic_reg)));
		TRY(fdt_setprop_u32(fdt, node, "phandle", GIC_PHANDLE));
		TRY(fdt_setprop_u32(fdt, 0, "interrupt-parent", GIC_PHANDLE));
	}

	TRY(node = fdt_add_subnode(fdt, 0, "timer"));
	TRY(fdt_setprop_string(fdt, node, "compatible", "arm,armv8-timer"));
	TRY(fdt_setprop_empty(fdt, node, "always-on"));
	if (g->gicd_addr) {
		/* Secure and non-secure physical, virtual, hypervisor: PPIs
		 * 13, 14, 11, 10, level high, on every vCPU. */
		static const uint32_t ppis[4] = { 13, 14, 11, 10 };
		uint32_t mask = g->cpus >= 8 ? 0xff : (1u << g->cpus) - 1;
		uint32_t flags = mask << 8 | IRQ_LEVEL_HIGH;
		fdt32_t irqs[12];

		for (unsigned i = 0; i < 4; i++) {
			irqs[3 * i] = cpu_to_fdt32(GIC_PPI);
			irqs[3 * i + 1] = cpu_to_fdt32(ppis[i]);
			irqs[3 * i + 2] = cpu_to_fdt32(flags);
		}
		TRY(fdt_setprop(fdt, node, "interrupts", irqs, sizeof(irqs)));
	}

	TRY(node = fdt_add_subnode(fdt, 0, "apb-pclk"));
	TRY(fdt_setprop_string(fdt, node, "compatible", "fixed-clock"));
	TRY(fdt_setprop_u32(fdt, node, "#clock-cells", 0));
	TRY(fdt_setprop_u32(fdt, node, "clock-frequency", PCLK_HZ));
	TRY(fdt_setprop_string(fdt, node, "clock-output-names", "clk24mhz"));
	TRY(fdt_setprop_u32(fdt, node, "phandle", PCLK_PHANDLE));

	snprintf(name, sizeof(name), "pl011@%llx",
		 (unsigned long long)g->uart_addr);
	TRY(node = fdt_add_subnode(fdt, 0, name));
	TRY(fdt_setprop(fdt, node, "compatible", compat_uart, sizeof(compat_uart)));
	TRY(reg64(fdt, node, g->uart_addr, 0x1000));
	TRY(fdt_setprop(fdt, node, "clocks", clocks, sizeof(clocks)));
	if (g->gicd_addr) {
		/* SPI 1 (INTID 33): Linux's amba-pl011 will not open a port
		 * without an interrupt. The model raises none (transmit
		 * never waits: its FIFO is always empty). */
		fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(1),
				   cpu_to_fdt32(IRQ_LEVEL_HIGH) };

		TRY(fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq)));
	}
	TRY(fdt_setprop(fdt, node, "clock-names", clock_names,
			sizeof(clock_names)));

	if (g->ecam_addr) {
		uint64_t half = g->window_size / 2, w0 = g->window_base;
		uint64_t w1 = w0 + half;
		fdt32_t ranges[14] = {
			cpu_to_fdt32(0x02000000), cpu_to_fdt32((uint32_t)(w0 >> 32)),
			cpu_to_fdt32((uint32_t)w0), cpu_to_fdt32((uint32_t)(w0 >> 32)),
			cpu_to_fdt32((uint32_t)w0), cpu_to_fdt32((uint32_t)(half >> 32)),
			cpu_to_fdt32((uint32_t)half),
			cpu_to_fdt32(0x43000000), cpu_to_fdt32((uint32_t)(w1 >> 32)),
			cpu_to_fdt32((uint32_t)w1), cpu_to_fdt32((uint32_t)(w1 >> 32)),
			cpu_to_fdt32((uint32_t)w1), cpu_to_fdt32((uint32_t)(half >> 32)),
			cpu_to_fdt32((uint32_t)half),
		};
		fdt32_t bus_range[2] = { 0, 0 };

		snprintf(name, sizeof(name), "pcie@%llx",
			 (unsigned long long)g->ecam_addr);
		TRY(node = fdt_add_subnode(fdt, 0, name));
		TRY(fdt_setprop_string(fdt, node, "compatible",
				       "pci-host-ecam-generic"));
		TRY(fdt_setprop_string(fdt, node, "device_type", "pci"));
		TRY(fdt_setprop_u32(fdt, node, "#address-cells", 3));
		TRY(fdt_setprop_u32(fdt, node, "#size-cells", 2));
		TRY(fdt_setprop(fdt, node, "bus-range", bus_range,
				sizeof(bus_range)));
		TRY(reg64(fdt, node, g->ecam_addr, 0x100000));
		TRY(fdt_setprop(fdt, node, "ranges", ranges, sizeof(ranges)));
		TRY(fdt_setprop_u32(fdt, node, "linux,pci-domain", 0));
		TRY(fdt_setprop_empty(fdt, node, "dma-coherent"));
		if (g->gicd_addr && g->nintx) {
			/* phys.hi (device, function), 0, 0, pin -> the GIC,
			 * no unit address, SPI n, level high. */
			fdt32_t map[32 * 8], mask[4] = {
				cpu_to_fdt32(0xff00), 0, 0, cpu_to_fdt32(7),
			};
			unsigned n = 0;

			for (unsigned i = 0; i < g->nintx && i < 32; i++) {
				const struct guest_dt_intx *x = &g->intx[i];

				map[n++] = cpu_to_fdt32(x->slot << 11 | x->fn << 8);
				map[n++] = 0;
				map[n++] = 0;
				map[n++] = cpu_to_fdt32(x->pin);
				map[n++] = cpu_to_fdt32(GIC_PHANDLE);
				map[n++] = cpu_to_fdt32(0);    /* SPI */
				map[n++] = cpu_to_fdt32(x->spi - 32);
				map[n++] = cpu_to_fdt32(IRQ_LEVEL_HIGH);
			}
			TRY(fdt_setprop_u32(fdt, node, "#interrupt-cells", 1));
			TRY(fdt_setprop(fdt, node, "interrupt-map-mask", mask,
					sizeof(mask)));
			TRY(fdt_setprop(fdt, node, "interrupt-map", map,
					n * sizeof(map[0])));
		}
	}

	TRY(node = fdt_add_subnode(fdt, 0, "chosen"));
	snprintf(name, sizeof(name), "/pl011@%llx",
		 (unsigned long long)g->uart_addr);
	TRY(fdt_setprop_string(fdt, node, "stdout-path", name));
	if (g->bootargs)
		TRY(fdt_setprop_string(fdt, node, "bootargs", g->bootargs));
	if (g->initrd_end) {
		TRY(fdt_setprop_u64(fdt, node, "linux,initrd-start",
				    g->initrd_start));
		TRY(fdt_setprop_u64(fdt, node, "linux,initrd-end", g->initrd_end));
	}
	TRY(fdt_pack(fdt));
	return err;
}

bool guest_dt_build(void *buf, size_t size, const struct guest_dt *g,
		    Error **errp)
{
	int err;

	if (!g->cpus || g->cpus > GUEST_DT_MAX_CPUS) {
		error_setg(errp, "guest device tree: %u CPUs (1 to %u)", g->cpus,
			   GUEST_DT_MAX_CPUS);
		return false;
	}
	if (!g->psci_method || (strcmp(g->psci_method, "smc") &&
				strcmp(g->psci_method, "hvc"))) {
		error_setg(errp, "guest device tree: PSCI method must be smc "
			   "or hvc");
		return false;
	}
	if (!g->ram_size) {
		error_setg(errp, "guest device tree: no RAM");
		return false;
	}
	err = write_tree(buf, size, g);
	if (err) {
		error_setg(errp, "guest device tree: %s (%zu bytes of room)",
			   fdt_strerror(err), size);
		return false;
	}
	return true;
}
