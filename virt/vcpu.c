// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guests' vCPUs on arm64 at EL2 (the run half of include/partita/virt/
 * guest.h): one physical CPU per vCPU for good, no scheduler.
 *
 * Each vCPU's CPU runs vcpu_main(): it waits (WFI) until its vCPU is
 * turned on (vCPU 0 at the start, the others by the guest's PSCI
 * CPU_ON), enters the guest and serves its exits: PSCI by HVC or SMC
 * (virt/psci.c), stage-2 data aborts with a syndrome as accesses to the
 * partition's AddressSpace (virt/mmio.c, which reaches the PL011), the
 * kick and its timeout. Anything else stops the partition with a report
 * naming the vCPU, the IPA, the syndrome and ELR; the partition's other
 * vCPUs are kicked out and every CPU of it parks at EL2 for good. Other
 * partitions never notice.
 *
 * One lock serialises exit handling across all CPUs: exits are rare
 * (console output, PSCI, faults), and it makes the manager's shared
 * state (the AddressSpace's flat views, the console, the heap) safe
 * without each being made so. The guest's own execution never takes it.
 */
#include <partita/arch/arm64/vcpu.h>
#include <partita/arch/cpus.h>
#include <partita/arch/time.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/spinlock.h>
#include <partita/virt/guest.h>
#include <partita/virt/mmio.h>
#include <partita/vfio/pci.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define ESR_EC_HVC64      0x16
#define ESR_EC_SMC64      0x17
#define ESR_EC_IABT_LOW   0x20
#define DFSC_TYPE(iss)    (((iss) >> 2) & 0xf)   /* of DFSC[5:0] */
#define DFSC_TRANSLATION  1
#define DFSC_PERMISSION   3

struct vcpu {
	struct arm64_vcpu_regs regs;
	struct guest *g;
	unsigned id, cpu;
	uint32_t lrs[VGIC_MAX_LRS];          /* the list registers' mirror */
	unsigned nlrs;
	bool on_request, off_request;        /* under the lock */
	uint64_t entry, context;
	atomic_bool started, parked;
};

static spinlock_t exit_lock = SPINLOCK_INIT;

void guest_end(struct guest *g, enum guest_state state, const char *reason)
{
	unsigned self = arch_cpu_self();

	if (guest_ended(g))
		return;
	g->state = state;
	g->ended_ns = arch_time_ns();
	snprintf(g->reason, sizeof(g->reason), "%s", reason ? reason : "");
	/* Said when it happens too: the report may be far off (it waits
	 * for every other partition's guest). */
	if (state == GUEST_STOPPED)
		pr_info("guest: %s stopped: %s", g->cfg.name, g->reason);
	else if (state == GUEST_TIMED_OUT)
		pr_info("guest: %s timed out", g->cfg.name);
	for (unsigned i = 0; i < g->cfg.ncpus; i++)
		if (g->vcpus[i].cpu != self)
			arch_cpu_kick(g->vcpus[i].cpu);
	arch_cpu_kick(0);
}

/* ---- PSCI's decisions carried out (virt/psci.h) ------------------------ */

static void psci_cpu_on_vcpu(void *opaque, unsigned vcpu, uint64_t entry,
			     uint64_t context)
{
	struct guest *g = opaque;
	struct vcpu *v = &g->vcpus[vcpu];

	v->entry = entry;
	v->context = context;
	v->on_request = true;
	arch_cpu_kick(v->cpu);
}

static void psci_cpu_off_vcpu(void *opaque, unsigned vcpu)
{
	struct guest *g = opaque;

	g->vcpus[vcpu].off_request = true;
}

static void psci_system_off_vm(void *opaque, bool reset)
{
	guest_end(opaque, GUEST_EXITED, reset ? "SYSTEM_RESET" : "SYSTEM_OFF");
}

/* The virtual GIC has something for vcpu: out of its guest (or its
 * sleep) so that its list registers are reloaded. */
static void vgic_kick(void *opaque, unsigned vcpu)
{
	struct guest *g = opaque;

	if (g->vcpus[vcpu].cpu != arch_cpu_self())
		arch_cpu_kick(g->vcpus[vcpu].cpu);
}

/* The guest aimed a device's SPI at vcpu: its physical interrupt goes to
 * that vCPU's CPU (under the exit lock: an MMIO exit), masked or not as
 * vfio-pci has it. */
static void vgic_retarget(void *opaque, unsigned irq, unsigned vcpu)
{
	struct guest *g = opaque;
	struct guest_config *c = &g->cfg;

	for (unsigned i = 0; i < c->npci; i++) {
		struct guest_pci_fn *f = &c->pci[i];

		if (guest_intx_spi(f) != irq || g->vcpus[vcpu].cpu == f->intx_cpu)
			continue;
		if (!arch_irq_move(f->intx_phys, g->vcpus[vcpu].cpu)) {
			warn_report("partition '%s': interrupt %u cannot be "
				    "moved to CPU %u", c->name, f->intx_phys,
				    g->vcpus[vcpu].cpu);
			continue;
		}
		f->intx_cpu = g->vcpus[vcpu].cpu;
		pr_info("guest: %s: interrupt %u follows its SPI %u to vCPU %u "
			"(CPU %u)", c->name, f->intx_phys, irq, vcpu, f->intx_cpu);
	}
}

static const struct psci_ops vcpu_psci_ops = {
	.cpu_on = psci_cpu_on_vcpu,
	.cpu_off = psci_cpu_off_vcpu,
	.system_off = psci_system_off_vm,
};

/* ---- exits -------------------------------------------------------------- */

static void stop_fault(struct vcpu *v, const struct arm64_exit *e,
		       const char *what)
{
	uint64_t ipa = mmio_fault_ipa(e->far, e->hpfar);
	char reason[sizeof(v->g->reason)];

	snprintf(reason, sizeof(reason), "%s at IPA 0x%llx (vCPU %u, ESR "
		 "0x%08llx: class 0x%02llx, ISS 0x%07llx; ELR 0x%llx)", what,
		 (unsigned long long)ipa, v->id, (unsigned long long)e->esr,
		 (unsigned long long)ESR_EC(e->esr),
		 (unsigned long long)ESR_ISS(e->esr),
		 (unsigned long long)v->regs.elr);
	guest_end(v->g, GUEST_STOPPED, reason);
}

static void data_abort(struct vcpu *v, const struct arm64_exit *e)
{
	uint32_t iss = (uint32_t)ESR_ISS(e->esr);
	struct mmio_access a;

	if (DFSC_TYPE(iss) != DFSC_TRANSLATION) {
		stop_fault(v, e, DFSC_TYPE(iss) == DFSC_PERMISSION ?
			   "stage-2 permission fault" : "stage-2 fault");
		return;
	}
	v->g->vgic.accessing = v->id;        /* banked distributor registers */
	switch (mmio_emulate(&v->g->cfg.as[0], e->esr, e->far, e->hpfar,
			     v->regs.x, &a)) {
	case MMIO_DONE:
		v->regs.elr += 4;
		break;
	case MMIO_NO_SYNDROME:
		stop_fault(v, e, "stage-2 fault without a syndrome (ISV=0)");
		break;
	case MMIO_UNMAPPED:
		stop_fault(v, e, "stage-2 fault");
		break;
	}
}

static void sync_exit(struct vcpu *v)
{
	struct arm64_exit e;
	char reason[160];
	uint64_t *x = v->regs.x;

	arm64_vcpu_exit_info(&e);
	switch (ESR_EC(e.esr)) {
	case ESR_EC_SMC64:
		v->regs.elr += 4;      /* a trapped SMC returns to itself */
		/* fall through */
	case ESR_EC_HVC64:
		x[0] = (uint64_t)psci_call(&v->g->psci, v->id, x[0], x[1], x[2],
					   x[3]);
		break;
	case ESR_EC_DABT_LOW:
		data_abort(v, &e);
		break;
	case ESR_EC_IABT_LOW:
		stop_fault(v, &e, "stage-2 fault on an instruction fetch");
		break;
	default:
		/* Not an abort: no IPA to name. */
		snprintf(reason, sizeof(reason), "an exit Partita does not "
			 "serve (vCPU %u, ESR 0x%08llx: class 0x%02llx, ISS "
			 "0x%07llx; ELR 0x%llx)", v->id,
			 (unsigned long long)e.esr,
			 (unsigned long long)ESR_EC(e.esr),
			 (unsigned long long)ESR_ISS(e.esr),
			 (unsigned long long)v->regs.elr);
		guest_end(v->g, GUEST_STOPPED, reason);
		break;
	}
}

/* An interrupt this CPU took (in or out of its guest), under the lock. */
static void take_irq(struct vcpu *v, enum arch_cpu_event ev, unsigned irq)
{
	struct guest *g = v->g;

	if (ev == ARCH_CPU_TIMER)
		guest_end(g, GUEST_TIMED_OUT, NULL);
	else if (ev == ARCH_CPU_GUEST_TIMER)
		vgic_set_irq(&g->vgic, v->id, GUEST_VTIMER_PPI, true);
	else if (ev == ARCH_CPU_DEVICE)
		/* vfio-pci's INTx: its trigger raises the guest's line
		 * (intx_level), the device stays masked until the EOI. */
		arch_irq_handle(irq);
	/* A kick or maintenance: the list registers are looked at on the
	 * way back in anyway. */
}

/* One exit served, under the lock; false: the vCPU leaves its guest. */
static bool serve_exit(struct vcpu *v, unsigned kind)
{
	enum arch_cpu_event ev;
	unsigned irq = 0;

	v->g->exits++;
	switch (kind) {
	case ARM64_EXIT_SYNC:
		sync_exit(v);
		break;
	case ARM64_EXIT_IRQ:
		ev = arch_cpu_irq(&irq);
		take_irq(v, ev, irq);
		break;
	default:
		guest_end(v->g, GUEST_STOPPED, kind == ARM64_EXIT_FIQ ?
			  "an FIQ reached EL2" : "an SError from the guest");
		break;
	}
	if (v->off_request) {
		v->off_request = false;
		v->g->psci.state[v->id] = PSCI_VCPU_OFF;
		return false;
	}
	return !guest_ended(v->g);
}

/* Runs the guest until this vCPU leaves it. Around each entry the
 * virtual GIC's pending interrupts go into the list registers and what
 * the guest did with them comes back (virt/devices/vgic.h). */
static void run(struct vcpu *v)
{
	struct vgic *vgic = &v->g->vgic;
	uint32_t hcr;

	spin_lock(&exit_lock);
	hcr = ARM64_GICH_HCR_EN |
	      (vgic_flush(vgic, v->id, v->lrs, v->nlrs) ? ARM64_GICH_HCR_UIE : 0);
	spin_unlock(&exit_lock);
	for (;;) {
		unsigned kind;
		bool more;

		arm64_gich_load(v->lrs, v->nlrs, hcr);
		kind = arm64_vcpu_enter(&v->regs);
		arm64_gich_save(v->lrs, v->nlrs);
		spin_lock(&exit_lock);
		vgic_sync(vgic, v->id, v->lrs, v->nlrs);
		more = serve_exit(v, kind);
		if (!more) {
			/* Off, or the partition ended: what the list
			 * registers held is dropped with the CPU's state. */
			for (unsigned i = 0; i < v->nlrs; i++)
				v->lrs[i] &= ~(3u << 28);
			vgic_sync(vgic, v->id, v->lrs, v->nlrs);
		}
		hcr = ARM64_GICH_HCR_EN |
		      (more && vgic_flush(vgic, v->id, v->lrs, v->nlrs) ?
		       ARM64_GICH_HCR_UIE : 0);
		spin_unlock(&exit_lock);
		if (!more) {
			arm64_gich_reset();
			return;
		}
	}
}

static void vcpu_main(void *arg)
{
	struct vcpu *v = arg;
	struct guest *g = v->g;
	struct arm64_vcpu_config vc = {
		.vttbr = stage2_vttbr(&g->s2, g->cfg.vmid),
		.vtcr = stage2_vtcr(&g->s2), .vmid = g->cfg.vmid,
		.vcpu_id = v->id, .cntvoff = g->cntvoff,
	};

	enum arch_cpu_event ev;
	unsigned irq = 0;

	v->nlrs = arm64_gich_nr_lrs() < VGIC_MAX_LRS ? arm64_gich_nr_lrs() :
		  VGIC_MAX_LRS;
	atomic_store(&v->started, true);
	if (v->id == 0 && g->cfg.timeout_ns)
		arch_cpu_timer_set(arch_time_ns() + g->cfg.timeout_ns);
	for (;;) {
		spin_lock(&exit_lock);
		if (guest_ended(g))
			break;
		if (v->on_request) {
			v->on_request = false;
			psci_vcpu_running(&g->psci, v->id);
			memset(v->regs.x, 0, sizeof(v->regs.x));
			v->regs.x[0] = v->context;
			v->regs.elr = v->entry;
			v->regs.spsr = ARM64_SPSR_EL1H_MASKED;
			if (!g->started_ns)
				g->started_ns = arch_time_ns();
			spin_unlock(&exit_lock);
			arm64_vcpu_load(&vc);
			arm64_gich_reset();
			run(v);
			continue;
		}
		spin_unlock(&exit_lock);
		ev = arch_cpu_idle(&irq);
		spin_lock(&exit_lock);
		take_irq(v, ev, irq);
		spin_unlock(&exit_lock);
	}
	/* The partition has ended: this CPU stays here for good. */
	arch_cpu_timer_set(0);
	atomic_store(&v->parked, true);
	spin_unlock(&exit_lock);
	arch_cpu_kick(0);
	for (;;)
		arch_cpu_idle(NULL);
}

/* A device's INTx trigger fired (level true; under the exit lock: it
 * comes from arch_irq_handle), or its EOI lowered the line. */
static void intx_level(void *opaque, bool level)
{
	struct guest_pci_fn *f = opaque;
	struct guest *g = f->owner;

	vgic_set_irq(&g->vgic, 0, guest_intx_spi(f), level);
	if (level)
		g->device_irqs++;
}

/* The guest ended one of its SPIs that is a device's INTx: vfio-pci
 * lowers the line and unmasks the device (QEMU's vfio_intx_eoi). */
static void vgic_eoi(void *opaque, unsigned irq)
{
	struct guest *g = opaque;

	for (unsigned i = 0; i < g->cfg.npci; i++) {
		struct guest_pci_fn *f = &g->cfg.pci[i];

		if (IS_ENABLED(CONFIG_VFIO_PCI) && guest_intx_spi(f) == irq)
			vfio_pci_intx_eoi(f->vpci);
	}
}

/* The partition's devices' INTx, each to vCPU 0's CPU, to the guest's
 * virtual SPI through vfio-pci: its trigger raises the SPI, the guest's
 * EOI (reported by the virtual GIC) unmasks it. */
static bool route_intx(struct guest *g, Error **errp)
{
	struct guest_config *c = &g->cfg;
	bool ok = true;

	/* Under the lock: the interrupt may come at once, and its CPU then
	 * waits for the mapping before it looks for it. */
	spin_lock(&exit_lock);
	for (unsigned i = 0; ok && i < c->npci; i++) {
		struct guest_pci_fn *f = &c->pci[i];
		unsigned spi = guest_intx_spi(f);

		if (!f->intx_pin)
			continue;
		f->owner = g;
		vgic_resample(&g->vgic, spi);
		f->intx_cpu = c->first_cpu;
		ok = IS_ENABLED(CONFIG_VFIO_PCI) &&
		     vfio_pci_intx_enable(f->vpci, intx_level, f, errp) &&
		     arch_irq_route(f->intx_spec, c->first_cpu, &f->intx_phys,
				    errp);
		if (!ok) {
			error_prepend(errp, "partition '%s': INTx of 00:%02x.%x: ",
				      c->name, f->slot, f->fn);
			guest_end(g, GUEST_STOPPED, "its device's interrupt "
				  "cannot be routed");
			break;
		}
		pr_info("guest: %s: 00:%02x.%x INTx%c (interrupt %u) -> its SPI %u",
			c->name, f->slot, f->fn, 'A' + f->intx_pin - 1,
			f->intx_phys, spi);
	}
	spin_unlock(&exit_lock);
	return ok;
}

bool guest_start(struct guest *g, Error **errp)
{
	const struct guest_config *c = &g->cfg;

	g->vcpus = heap_zalloc(c->ncpus * sizeof(*g->vcpus));
	if (!g->vcpus) {
		error_setg(errp, "partition '%s': out of memory", c->name);
		return false;
	}
	psci_init(&g->psci, c->ncpus, &vcpu_psci_ops, g);
	g->vgic.kick = vgic_kick;
	g->vgic.retarget = vgic_retarget;
	g->vgic.eoi = vgic_eoi;
	g->vgic.opaque = g;
	/* The guest's GICC is the hardware's virtual CPU interface. */
	if (!arm64_gicv_base()) {
		error_setg(errp, "partition '%s': the GIC has no virtualisation "
			   "extensions (GICH, GICV) in the device tree",
			   c->name);
		return false;
	}
	if (!stage2_map_cpu_device(&g->s2, GUEST_GICC_ADDR, arm64_gicv_base(),
				   GUEST_GICC_SIZE, errp))
		return false;
	for (unsigned i = 0; i < c->ncpus; i++)
		g->vcpus[i] = (struct vcpu){ .g = g, .id = i,
					     .cpu = c->first_cpu + i };
	/* The Linux boot protocol: vCPU 0 at the entry, x0 = the DTB. */
	g->vcpus[0].on_request = true;
	g->vcpus[0].entry = c->image.entry;
	g->vcpus[0].context = g->dtb_ipa;
	g->psci.state[0] = PSCI_VCPU_ON_PENDING;
	/* The guest starts with its MMU off: what we wrote must be in
	 * memory, not only in our caches. */
	arm64_sync_for_guest(c->ram, c->ram_size);
	g->cntvoff = arm64_counter();
	g->state = GUEST_RUNNING;
	for (unsigned i = 0; i < c->ncpus; i++) {
		Error *err = NULL;

		if (arch_cpu_start(g->vcpus[i].cpu, vcpu_main, &g->vcpus[i],
				   &err))
			continue;
		spin_lock(&exit_lock);
		guest_end(g, GUEST_STOPPED, error_get_pretty(err));
		spin_unlock(&exit_lock);
		error_propagate(errp, err);
		return false;
	}
	return route_intx(g, errp);
}

void guest_wait_all(struct guest *const *gs, unsigned n,
		    void (*poll)(void *opaque), void *opaque)
{
	for (;;) {
		bool done = true;

		spin_lock(&exit_lock);
		for (unsigned i = 0; i < n && done; i++) {
			const struct guest *g = gs[i];

			if (!g->vcpus)
				continue;
			if (!guest_ended(g))
				done = false;
			for (unsigned k = 0; done && k < g->cfg.ncpus; k++)
				if (atomic_load(&g->vcpus[k].started) &&
				    !atomic_load(&g->vcpus[k].parked))
					done = false;
		}
		spin_unlock(&exit_lock);
		if (done)
			break;
		arch_cpu_timer_set(arch_time_ns() + GUEST_POLL_NS);
		if (arch_cpu_idle(NULL) == ARCH_CPU_TIMER && poll)
			poll(opaque);
	}
	arch_cpu_timer_set(0);
}
