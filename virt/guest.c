// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A partition's guest, the parts every build has (include/partita/virt/
 * guest.h): checking it, building what it sees, loading it, describing
 * how it ended. Running it is virt/vcpu.c's (arm64 at EL2).
 */
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/virt/guest-dt.h>
#include <partita/virt/guest.h>
#include <partita/vfio/pci.h>
#include <stdio.h>
#include <string.h>

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool check_initrd(struct guest_config *c, const void *fit,
			 size_t fit_size, const char *initrd, uint64_t dtb,
			 Error **errp)
{
	const struct fit_image *k = &c->image, *r = &c->initrd;

	if (!fit_ramdisk_find(fit, fit_size, initrd, c->ram_addr, c->ram_size,
			      &c->initrd, errp))
		return false;
	if (r->load + r->size > dtb) {
		error_setg(errp, "FIT image '%s': it ends at 0x%llx, over the "
			   "guest's device tree (from 0x%llx)", initrd,
			   (unsigned long long)(r->load + r->size),
			   (unsigned long long)dtb);
		return false;
	}
	if (overlaps(r->load, r->size, k->load, k->size)) {
		error_setg(errp, "FIT image '%s': 0x%llx-0x%llx overlaps image "
			   "'%s' (0x%llx-0x%llx)", initrd,
			   (unsigned long long)r->load,
			   (unsigned long long)(r->load + r->size - 1), k->name,
			   (unsigned long long)k->load,
			   (unsigned long long)(k->load + k->size - 1));
		return false;
	}
	return true;
}

bool guest_check(struct guest_config *c, const void *fit, size_t fit_size,
		 const char *image, const char *initrd, Error **errp)
{
	uint64_t dtb = c->ram_addr + c->ram_size - GUEST_DTB_SIZE;

	if (overlaps(c->ram_addr, c->ram_size, GUEST_VDEV_BASE,
		     GUEST_VDEV_SIZE)) {
		error_setg(errp, "partition '%s': its RAM at 0x%llx-0x%llx "
			   "overlaps the guest's emulated devices "
			   "(0x%llx-0x%llx)", c->name,
			   (unsigned long long)c->ram_addr,
			   (unsigned long long)(c->ram_addr + c->ram_size - 1),
			   (unsigned long long)GUEST_VDEV_BASE,
			   (unsigned long long)(GUEST_VDEV_BASE +
						GUEST_VDEV_SIZE - 1));
		error_append_hint(errp, "Give the partition a ram-addr= "
				  "outside that range.\n");
		return false;
	}
	if (c->ram_size < 2 * GUEST_DTB_SIZE) {
		error_setg(errp, "partition '%s': %llu KiB of RAM are too "
			   "few for a guest", c->name,
			   (unsigned long long)(c->ram_size >> 10));
		return false;
	}
	if (c->ncpus < 1 || c->ncpus > GUEST_MAX_VCPUS) {
		error_setg(errp, "partition '%s': a guest has 1 to %d vCPUs",
			   c->name, GUEST_MAX_VCPUS);
		return false;
	}
	if (!fit) {
		error_setg(errp, "partition '%s': image '%s' asked for, but no "
			   "FIT was handed over", c->name, image);
		error_append_hint(errp, "Give QEMU the FIT as -initrd (the "
				  "host program: -fit FILE).\n");
		return false;
	}
	if (!fit_image_find(fit, fit_size, image, c->ram_addr, c->ram_size,
			    &c->image, errp))
		return false;
	if (c->image.load + c->image.size > dtb) {
		error_setg(errp, "FIT image '%s': it ends at 0x%llx, over the "
			   "device tree Partita puts in the last %llu KiB of "
			   "partition '%s''s RAM (from 0x%llx)", image,
			   (unsigned long long)(c->image.load + c->image.size),
			   (unsigned long long)(GUEST_DTB_SIZE >> 10), c->name,
			   (unsigned long long)dtb);
		return false;
	}
	if (initrd && !check_initrd(c, fit, fit_size, initrd, dtb, errp))
		return false;
	if (c->canary_addr &&
	    (c->canary_addr < c->ram_addr || c->canary_addr % 8 ||
	     c->canary_addr + 8 > dtb)) {
		error_setg(errp, "partition '%s': x-canary=0x%llx is not an "
			   "aligned word of its RAM below the device tree",
			   c->name, (unsigned long long)c->canary_addr);
		return false;
	}
	return true;
}

static void console_line(void *opaque, const char *line)
{
	(void)opaque;
	pr_info("%s", line);
}

/* The partition's PCI functions on the guest's bus (none: no bus). */
static bool add_pci(struct guest *g, Error **errp)
{
	const struct guest_config *c = &g->cfg;

	if (!IS_ENABLED(CONFIG_VFIO_PCI) || !c->npci)
		return true;
	if (!pci_host_init(&g->pci, c->ctx, errp))
		return false;
	g->pci_inited = true;
	for (unsigned i = 0; i < c->npci; i++)
		if (!pci_host_place(&g->pci, c->pci[i].slot, c->pci[i].fn,
				    c->pci[i].vpci, errp))
			return false;
	return memory_region_add_subregion(c->root, GUEST_ECAM_ADDR,
					   &g->pci.ecam, errp);
}

bool guest_create(struct guest *g, const struct guest_config *c,
		  Error **errp)
{
	/* 4 KiB granule without FEAT_LPA: at most 48 output bits, even on
	 * a CPU with more (QEMU's max has 52). */
	unsigned pa = c->pa_bits && c->pa_bits < 48 ? c->pa_bits : 48;
	struct stage2_config s2c = {
		.ipa_bits = pa < GUEST_IPA_BITS ? pa : GUEST_IPA_BITS,
		.pa_bits = pa, .pool = c->pool, .um = c->um,
		/* No flush: entries go only when the guest's vCPUs have
		 * stopped for good, and a VMID is not reused in a boot. */
	};

	memset(g, 0, sizeof(*g));
	g->cfg = *c;
	g->dtb_ipa = c->ram_addr + c->ram_size - GUEST_DTB_SIZE;
	if (!pl011_init(&g->uart, c->ctx, c->name, console_line, g, errp))
		goto fail;
	g->uart_inited = true;
	if (!memory_region_add_subregion(c->root, GUEST_UART_ADDR,
					 &g->uart.mmio, errp))
		goto fail;
	/* The distributor; the vCPU layer sets its kick. */
	if (!vgic_init(&g->vgic, c->ctx, c->ncpus, NULL, NULL, errp))
		goto fail;
	g->vgic_inited = true;
	for (unsigned i = 0; i < c->ncpus; i++)
		vgic_map_hw(&g->vgic, i, GUEST_VTIMER_PPI, GUEST_VTIMER_PPI);
	if (!memory_region_add_subregion(c->root, GUEST_GICD_ADDR,
					 &g->vgic.dist, errp))
		goto fail;
	if (!add_pci(g, errp))
		goto fail;
	if (!stage2_init(&g->s2, &s2c, errp))
		goto fail;
	g->s2_inited = true;
	if (!stage2_attach(&g->s2, c->as, errp))
		goto fail;
	return true;
fail:
	guest_destroy(g);
	return false;
}

bool guest_load(struct guest *g, Error **errp)
{
	const struct guest_config *c = &g->cfg;
	struct guest_dt dt = {
		.ram_addr = c->ram_addr, .ram_size = c->ram_size,
		.cpus = c->ncpus, .uart_addr = GUEST_UART_ADDR,
		.psci_method = "smc", .bootargs = c->bootargs,
		.gicd_addr = GUEST_GICD_ADDR, .gicc_addr = GUEST_GICC_ADDR,
		.ecam_addr = g->pci_inited ? GUEST_ECAM_ADDR : 0,
		.window_base = c->window_base, .window_size = c->window_size,
	};

	for (unsigned i = 0; i < c->npci && dt.nintx < 32; i++)
		if (c->pci[i].intx_pin)
			dt.intx[dt.nintx++] = (struct guest_dt_intx){
				c->pci[i].slot, c->pci[i].fn, c->pci[i].intx_pin,
				guest_intx_spi(&c->pci[i]),
			};

	memset(c->ram, 0, c->ram_size);
	memcpy(c->ram + (c->image.load - c->ram_addr), c->image.data,
	       c->image.size);
	if (c->initrd.size) {
		memcpy(c->ram + (c->initrd.load - c->ram_addr), c->initrd.data,
		       c->initrd.size);
		dt.initrd_start = c->initrd.load;
		dt.initrd_end = c->initrd.load + c->initrd.size;
	}
	if (!guest_dt_build(c->ram + (g->dtb_ipa - c->ram_addr),
			    GUEST_DTB_SIZE, &dt, errp))
		return false;
	if (c->canary_addr) {
		uint64_t v = GUEST_CANARY;

		memcpy(c->ram + (c->canary_addr - c->ram_addr), &v, 8);
	}
	pr_info("guest: %s: image '%s' (%zu bytes) at 0x%llx, entry 0x%llx, "
		"device tree at 0x%llx, %u vCPU%s", c->name, c->image.name,
		c->image.size, (unsigned long long)c->image.load,
		(unsigned long long)c->image.entry,
		(unsigned long long)g->dtb_ipa, c->ncpus,
		c->ncpus == 1 ? "" : "s");
	return true;
}

bool guest_ended(const struct guest *g)
{
	return g->state == GUEST_EXITED || g->state == GUEST_STOPPED ||
	       g->state == GUEST_TIMED_OUT;
}

bool guest_canary_intact(const struct guest *g)
{
	const struct guest_config *c = &g->cfg;
	uint64_t v;

	memcpy(&v, c->ram + (c->canary_addr - c->ram_addr), 8);
	return v == GUEST_CANARY;
}

void guest_describe(const struct guest *g, char *buf, size_t len)
{
	int status;

	switch (g->state) {
	case GUEST_EXITED:
		if (pl011_exit_status(&g->uart, &status))
			snprintf(buf, len, "exited %d", status);
		else
			snprintf(buf, len, "exited, no status");
		break;
	case GUEST_STOPPED:
		snprintf(buf, len, "stopped: %s", g->reason);
		break;
	case GUEST_TIMED_OUT:
		snprintf(buf, len, "timed out after %llu s",
			 (unsigned long long)(g->cfg.timeout_ns / 1000000000ULL));
		break;
	case GUEST_NOT_STARTED:
		snprintf(buf, len, "checked, not started: %s", g->reason);
		break;
	default:
		snprintf(buf, len, "running");
		break;
	}
}

int guest_exit_status(const struct guest *g)
{
	int status;

	return g->state == GUEST_EXITED &&
	       pl011_exit_status(&g->uart, &status) && status == 0 ? 0 : 1;
}

void guest_destroy(struct guest *g)
{
	if (g->s2_inited) {
		stage2_detach(&g->s2);
		stage2_fini(&g->s2);
		g->s2_inited = false;
	}
	for (unsigned i = 0; IS_ENABLED(CONFIG_VFIO_PCI) && i < g->cfg.npci; i++)
		if (g->cfg.pci[i].owner == g)
			vfio_pci_intx_disable(g->cfg.pci[i].vpci);
	if (IS_ENABLED(CONFIG_VFIO_PCI) && g->pci_inited) {
		if (g->pci.ecam.container)
			memory_region_del_subregion(g->cfg.root, &g->pci.ecam, NULL);
		pci_host_fini(&g->pci);
		g->pci_inited = false;
	}
	if (g->vgic_inited) {
		if (g->vgic.dist.container)
			memory_region_del_subregion(g->cfg.root, &g->vgic.dist,
						    NULL);
		vgic_fini(&g->vgic);
		g->vgic_inited = false;
	}
	if (g->uart_inited) {
		if (g->uart.mmio.container)
			memory_region_del_subregion(g->cfg.root, &g->uart.mmio,
						    NULL);
		pl011_fini(&g->uart);
		g->uart_inited = false;
	}
	heap_free(g->vcpus);
	g->vcpus = NULL;
}
