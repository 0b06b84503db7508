// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device namespace of a board (include/partita/arch/bring-up.h):
 * what discovery found bound to the kernel's VFIO bus drivers, the way
 * Linux's driver core binds vfio-pci to a pci_dev: a struct device and
 * its IOMMU group for each, the bus driver's object made from the bus's
 * description, interrupts wired, everything published.
 */
#include <partita/arch/bring-up.h>
#include <partita/bus/bus.h>
#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iommu/iommu.h>
#include <partita/iommu/iommufd.h>
#include <partita/iommu/vfio-type1.h>
#include <partita/iommu/vfio/vfio-ap-ops.h>
#include <partita/iommu/vfio/vfio-ccw-ops.h>
#include <partita/iommu/vfio/vfio-main.h>
#include <partita/iommu/vfio/vfio-pci-core.h>
#include <partita/iommu/vfio/vfio-platform.h>
#include <partita/sys/fd.h>
#include <string.h>

/* An interrupt line wired to a platform device's driver, or to a PCI
 * function's INTx (pd NULL). */
struct bound_irq {
	const struct bus_env *env;
	struct platform_device *pd;
	struct pci_func *f;
	unsigned index;
	const uint32_t *spec;
	bool connected;
};

struct board_bound {
	const struct bus_env *env;
	struct bus_devices *devices;
	unsigned n;
	struct device *devs;                /* one per found device */
	void **objs;                        /* its bus driver's object */
	struct bound_irq (*irqs)[PLATFORM_MAX_IRQS];
	struct iommu_group *groups;         /* group i + 1 */
	unsigned ngroups;
	struct ap_bus *ap;
};

static bool oom(Error **errp)
{
	error_setg(errp, "discovery: out of memory");
	return false;
}

static bool published(const char *name, int ret, Error **errp)
{
	if (ret)
		error_setg_errno(errp, -ret, "%s: cannot publish", name);
	return !ret;
}

/* ---- PCI --------------------------------------------------------------- */

static int pci_reset(struct pci_func *f)
{
	return bus_pci_reset(f->opaque);
}

static void intx_handler(void *arg)
{
	struct bound_irq *irq = arg;

	vfio_pci_core_intx(irq->f);
}

static void intx_unmask(struct pci_func *f)
{
	struct bound_irq *irq = f->intx_opaque;

	irq->env->irq_unmask(irq->env->opaque, irq->spec);
}

/* The function's INTx to vfio-pci, where the board has the line: its
 * driver masks and unmasks it. A board without one (the simulated
 * board's functions, zPCI) leaves INTx unconnected: nothing fires. */
static void connect_intx(struct board_bound *bb, unsigned i, struct pci_func *f)
{
	const struct bus_device_info *info = bus_device(bb->devices, i);
	const struct bus_env *env = bb->env;
	struct bound_irq *irq = &bb->irqs[i][0];

	if (!info->has_intx || !env->irq_connect || !env->irq_unmask)
		return;
	*irq = (struct bound_irq){ .env = env, .f = f, .spec = info->intx_spec };
	if (!env->irq_connect(env->opaque, irq->spec, intx_handler, irq))
		return;
	irq->connected = true;
	f->intx_unmask = intx_unmask;
	f->intx_opaque = irq;
}

static bool bind_pci(struct board_bound *bb, unsigned i, Error **errp)
{
	const struct bus_pci_function *fn = bus_device_pci(bb->devices, i);
	struct pci_func *f = heap_zalloc(sizeof(*f));

	if (!f)
		return oom(errp);
	bb->objs[i] = f;
	f->dev = &bb->devs[i];
	memcpy(f->config, fn->config, sizeof(f->config));
	memcpy(f->bars, fn->bars, sizeof(f->bars));
	f->bus_as = fn->bus_as;
	f->reset = fn->flr ? pci_reset : NULL;
	f->opaque = (void *)fn;
	f->migration_flags = fn->migration_flags;
	vfio_pci_core_init(f);
	connect_intx(bb, i, f);
	return published(f->dev->name, vfio_register_device(bb->env->sys, f->dev,
					i, "pci"), errp);
}

/* ---- platform ------------------------------------------------------------ */

static void irq_handler(void *arg)
{
	struct bound_irq *irq = arg;

	vfio_platform_irq(irq->pd, irq->index);
}

static bool bind_platform(struct board_bound *bb, unsigned i, Error **errp)
{
	const struct bus_platform_node *node = bus_device_platform(bb->devices, i);
	const struct bus_env *env = bb->env;
	struct platform_device *pd = heap_zalloc(sizeof(*pd));

	if (!pd)
		return oom(errp);
	bb->objs[i] = pd;
	pd->dev = &bb->devs[i];
	memcpy(pd->compatible, node->compatible, node->compatible_len);
	pd->compatible_len = node->compatible_len;
	memcpy(pd->of_path, node->of_path, sizeof(pd->of_path));
	for (unsigned r = 0; r < node->nregions; r++)
		pd->regions[r] = (struct platform_region){
			node->regions[r].pa, node->regions[r].size,
			node->regions[r].host };
	pd->nregions = node->nregions;
	for (unsigned k = 0; k < node->nirqs; k++) {
		memcpy(pd->irqs[k].spec, node->irqs[k].spec,
		       sizeof(pd->irqs[k].spec));
		pd->irqs[k].level = node->irqs[k].level;
	}
	pd->nirqs = node->nirqs;
	pd->bus_as = node->bus_as;
	vfio_platform_core_init(pd);
	for (unsigned k = 0; k < pd->nirqs; k++) {
		struct bound_irq *irq = &bb->irqs[i][k];

		*irq = (struct bound_irq){ .env = env, .pd = pd, .index = k,
					   .spec = pd->irqs[k].spec };
		if (!env->irq_connect || !env->irq_connect(env->opaque,
				irq->spec, irq_handler, irq)) {
			error_setg(errp, "%s: interrupt <%u %u %u> has no line on "
				   "this board", pd->dev->name, irq->spec[0],
				   irq->spec[1], irq->spec[2]);
			return false;
		}
		irq->connected = true;
	}
	return published(pd->dev->name, vfio_platform_publish(env->sys, pd, i),
			 errp);
}

/* ---- CCW subchannels ----------------------------------------------------- */

static int css_start(struct ccw_subchannel *sch, uint32_t cpa,
		     struct ccw_status *st)
{
	const struct bus_env *env = sch->opaque;

	return env->css_start(env->opaque, sch->schno, cpa, st);
}

static bool bind_subchannel(struct board_bound *bb, unsigned i, Error **errp)
{
	const struct bus_subchannel *s = bus_device_subchannel(bb->devices, i);
	struct ccw_subchannel *sch = heap_zalloc(sizeof(*sch));

	if (!sch)
		return oom(errp);
	bb->objs[i] = sch;
	sch->dev = &bb->devs[i];
	sch->schno = s->schno;
	sch->start = css_start;
	sch->opaque = (void *)bb->env;
	sch->pool = bb->env->pool;
	sch->one_idaw_block = bb->env->ccw_one_idaw_block;
	vfio_ccw_core_init(sch);
	return published(sch->dev->name, vfio_mdev_publish(bb->env->sys, sch->dev,
					i, s->parent), errp);
}

/* ---- AP matrices ------------------------------------------------------- */

/* Assign each number of a list the matrix node gave, refusing with the
 * node's name what the AP driver refuses. */
static bool assign(struct ap_matrix *m, const char *node, const char *prop,
		   const uint16_t *list, unsigned n,
		   int (*set)(struct ap_matrix *m, unsigned v), Error **errp)
{
	for (unsigned k = 0; k < n; k++) {
		int ret = set(m, list[k]);

		if (ret) {
			error_setg(errp, "%s: '%s' entry 0x%02x: %s", node, prop,
				   list[k], ret == -ENODEV ? "not on the AP bus" :
				   ret == -EADDRINUSE ? "a queue of it is in "
				   "another matrix already" : "refused");
			return false;
		}
	}
	return true;
}

static bool bind_ap_matrix(struct board_bound *bb, unsigned i, Error **errp)
{
	const struct bus_ap_matrix *desc = bus_device_ap_matrix(bb->devices, i);
	const struct bus_ap *bus = bus_ap(bb->devices);
	struct ap_matrix *m;

	if (!bb->ap) {
		if (!(bb->ap = heap_zalloc(sizeof(*bb->ap))))
			return oom(errp);
		memcpy(bb->ap->adapters, bus->adapters, sizeof(bb->ap->adapters));
		memcpy(bb->ap->domains, bus->domains, sizeof(bb->ap->domains));
	}
	m = heap_zalloc(sizeof(*m));
	if (!m)
		return oom(errp);
	bb->objs[i] = m;
	m->dev = &bb->devs[i];
	vfio_ap_matrix_init(m, bb->ap);
	return assign(m, desc->node, "adapters", desc->adapters,
		      desc->nadapters, vfio_ap_assign_adapter, errp) &&
	       assign(m, desc->node, "domains", desc->domains, desc->ndomains,
		      vfio_ap_assign_domain, errp) &&
	       assign(m, desc->node, "control-domains", desc->controls,
		      desc->ncontrols, vfio_ap_assign_control_domain, errp) &&
	       published(m->dev->name, vfio_ap_publish(bb->env->sys, m, i), errp);
}

/* ---- the whole namespace --------------------------------------------- */

static bool bind_device(struct board_bound *bb, unsigned i, Error **errp)
{
	const struct bus_device_info *info = bus_device(bb->devices, i);
	struct device *dev = &bb->devs[i];
	struct iommu_group *g = &bb->groups[info->group - 1];

	dev->name = info->name;
	dev->iommu = bus_device_iommu(bb->devices, i);
	dev->stream_id = info->stream_id;
	g->id = info->group;
	/* Mediated devices' groups have no IOMMU (Linux's emulated). */
	g->emulated = info->kind == BUS_CCW || info->kind == BUS_AP;
	if (iommu_group_add_device(g, dev))
		return oom(errp);
	/* (Discovery finds only the kinds whose driver is built.) */
	if (IS_ENABLED(CONFIG_VFIO_PCI) && info->kind == BUS_PCI)
		return bind_pci(bb, i, errp);
	if (IS_ENABLED(CONFIG_VFIO_PLATFORM) && info->kind == BUS_PLATFORM)
		return bind_platform(bb, i, errp);
	if (IS_ENABLED(CONFIG_VFIO_CCW) && info->kind == BUS_CCW)
		return bind_subchannel(bb, i, errp);
	if (IS_ENABLED(CONFIG_VFIO_AP) && info->kind == BUS_AP)
		return bind_ap_matrix(bb, i, errp);
	error_setg(errp, "%s: no VFIO bus driver for it in this build",
		   info->name);
	return false;
}

/* Each group's /dev/vfio/<id>, once its devices are published. */
static bool publish_groups(struct board_bound *bb, Error **errp)
{
	for (unsigned i = 0; IS_ENABLED(CONFIG_VFIO_TYPE1) && i < bb->ngroups;
	     i++) {
		int ret = vfio_type1_publish_group(bb->env->sys, &bb->groups[i]);

		if (ret) {
			error_setg_errno(errp, -ret, "discovery: cannot publish "
					 "group %d", bb->groups[i].id);
			return false;
		}
	}
	return true;
}

static void unbind(struct board_bound *bb)
{
	for (unsigned i = 0; bb->objs && i < bb->n; i++) {
		for (unsigned k = 0; bb->irqs && k < PLATFORM_MAX_IRQS; k++)
			if (bb->irqs[i][k].connected)
				bb->env->irq_connect(bb->env->opaque,
						     bb->irqs[i][k].spec, NULL, NULL);
		if (IS_ENABLED(CONFIG_VFIO_AP) && bb->objs[i] &&
		    bus_device(bb->devices, i)->kind == BUS_AP)
			vfio_ap_matrix_fini(bb->objs[i]);
		heap_free(bb->objs[i]);
	}
	for (unsigned i = 0; bb->groups && i < bb->ngroups; i++)
		iommu_group_release(&bb->groups[i]);
	heap_free(bb->objs);
	heap_free(bb->irqs);
	heap_free(bb->devs);
	heap_free(bb->groups);
	heap_free(bb->ap);
	heap_free(bb);
}

static struct board_bound *bind_all(const struct bus_env *env,
				    struct bus_devices *d, Error **errp)
{
	struct board_bound *bb = heap_zalloc(sizeof(*bb));
	unsigned n = bus_device_count(d);

	if (!bb) {
		oom(errp);
		return NULL;
	}
	bb->env = env;
	bb->devices = d;
	bb->n = n;
	bb->ngroups = bus_group_count(d);
	bb->devs = heap_calloc(n ? n : 1, sizeof(*bb->devs));
	bb->objs = heap_calloc(n ? n : 1, sizeof(*bb->objs));
	bb->irqs = heap_calloc(n ? n : 1, sizeof(*bb->irqs));
	bb->groups = heap_calloc(bb->ngroups ? bb->ngroups : 1,
				 sizeof(*bb->groups));
	if (!bb->devs || !bb->objs || !bb->irqs || !bb->groups) {
		oom(errp);
		goto fail;
	}
	for (unsigned i = 0; i < n; i++)
		if (!bind_device(bb, i, errp))
			goto fail;
	if (publish_groups(bb, errp))
		return bb;
fail:
	unbind(bb);
	return NULL;
}

bool board_bring_up(struct bus_env *env, struct umem *umem, struct sys **sys,
		    struct bus_devices **devices, struct board_bound **bound,
		    Error **errp)
{
	*devices = NULL;
	*bound = NULL;
	*sys = sys_create(umem);
	if (!*sys ||
	    (IS_ENABLED(CONFIG_IOMMUFD) && iommufd_register(*sys)) ||
	    (IS_ENABLED(CONFIG_VFIO_TYPE1) && vfio_type1_register(*sys))) {
		error_setg(errp, "board: out of memory for the device namespace");
		goto fail;
	}
	env->sys = *sys;
	*devices = bus_discover(env, errp);
	if (*devices && (*bound = bind_all(env, *devices, errp)))
		return true;
fail:
	board_bring_down(*sys, *bound, *devices);
	*sys = NULL;
	*devices = NULL;
	*bound = NULL;
	return false;
}

void board_bring_down(struct sys *sys, struct board_bound *bound,
		      struct bus_devices *devices)
{
	/* The namespace first: closing every fd unbinds what users held. */
	if (sys)
		sys_destroy(sys);
	if (bound)
		unbind(bound);
	bus_devices_release(devices);
}
