// SPDX-License-Identifier: GPL-2.0-or-later
/* The vfio-ap bus driver: matrices, their exclusivity, and reset. */

#include <partita/errno.h>
#include <partita/heap.h>
#include <partita/iommu/vfio/vfio-ap-ops.h>
#include <partita/sys/namespace.h>
#include <stdio.h>
#include <string.h>

#define VFIO_AP_PARENT "/sys/devices/vfio_ap/matrix"

static struct ap_matrix *to_matrix(struct device *dev)
{
	return vfio_core_device_priv(dev);
}

static void ap_irq_info(struct device *dev, struct vfio_irq_info *info)
{
	(void)dev;
	info->count = 1;                /* REQ */
	info->flags = VFIO_IRQ_INFO_EVENTFD;
}

/* Zeroize every queue of the matrix (Linux: reset_queues). */
static int ap_reset(struct device *dev)
{
	struct ap_matrix *m = to_matrix(dev);

	m->resets++;
	m->bus->queues_zeroized +=
		bitmap_weight(m->apm, AP_MAX_ADAPTERS) *
		bitmap_weight(m->aqm, AP_MAX_DOMAINS);
	return 0;
}

/* The next user must not find the last one's keys. */
static void ap_close(struct device *dev)
{
	ap_reset(dev);
}

const struct vfio_device_ops vfio_ap_ops = {
	.flags = VFIO_DEVICE_FLAGS_AP,
	.num_regions = 0,
	.num_irqs = VFIO_AP_NUM_IRQS,
	.irq_info = ap_irq_info,
	.reset = ap_reset,
	.close = ap_close,
};

void vfio_ap_matrix_init(struct ap_matrix *m, struct ap_bus *bus)
{
	struct device *dev = m->dev;

	memset(m, 0, sizeof(*m));
	m->dev = dev;
	m->bus = bus;
	m->next = bus->matrices;
	bus->matrices = m;
	vfio_core_device_init(&m->vdev, dev, &vfio_ap_ops, m);
}

void vfio_ap_matrix_fini(struct ap_matrix *m)
{
	struct ap_matrix **link = &m->bus->matrices;

	while (*link && *link != m)
		link = &(*link)->next;
	if (*link)
		*link = m->next;
}

/* Would m with apm/aqm share an APQN with another matrix? */
static bool shares(const struct ap_matrix *m, const unsigned long *apm,
		   const unsigned long *aqm)
{
	for (const struct ap_matrix *o = m->bus->matrices; o; o = o->next) {
		bool adapter = false, domain = false;

		if (o == m)
			continue;
		for (size_t i = 0; i < BITS_TO_LONGS(AP_MAX_ADAPTERS); i++)
			adapter |= (apm[i] & o->apm[i]) != 0;
		for (size_t i = 0; i < BITS_TO_LONGS(AP_MAX_DOMAINS); i++)
			domain |= (aqm[i] & o->aqm[i]) != 0;
		if (adapter && domain)
			return true;
	}
	return false;
}

/* Add bit to the adapter mask (adapters) or the usage-domain mask, if
 * the bus has it and no APQN would then be shared. */
static int assign(struct ap_matrix *m, bool adapters, unsigned bit)
{
	unsigned long apm[BITS_TO_LONGS(AP_MAX_ADAPTERS)];
	unsigned long aqm[BITS_TO_LONGS(AP_MAX_DOMAINS)];
	const unsigned long *present = adapters ? m->bus->adapters : m->bus->domains;

	_Static_assert(AP_MAX_ADAPTERS == AP_MAX_DOMAINS, "one bound for both");
	if (m->published)
		return -EBUSY;
	if (bit >= AP_MAX_ADAPTERS || !bitmap_test_bit(present, bit))
		return -ENODEV;
	memcpy(apm, m->apm, sizeof(apm));
	memcpy(aqm, m->aqm, sizeof(aqm));
	bitmap_set_bit(adapters ? apm : aqm, bit);
	if (shares(m, apm, aqm))
		return -EADDRINUSE;
	memcpy(m->apm, apm, sizeof(apm));
	memcpy(m->aqm, aqm, sizeof(aqm));
	return 0;
}

int vfio_ap_assign_adapter(struct ap_matrix *m, unsigned adapter)
{
	return assign(m, true, adapter);
}

int vfio_ap_assign_domain(struct ap_matrix *m, unsigned domain)
{
	return assign(m, false, domain);
}

int vfio_ap_assign_control_domain(struct ap_matrix *m, unsigned domain)
{
	if (m->published)
		return -EBUSY;
	if (domain >= AP_MAX_DOMAINS || !bitmap_test_bit(m->bus->domains, domain))
		return -ENODEV;
	bitmap_set_bit(m->adm, domain);
	return 0;
}

/* Linux's "matrix" attribute: one line per APQN, "aa.dddd"; with only
 * adapters assigned "aa.", with only domains ".dddd". Heap text, or
 * NULL. */
static char *format_matrix(const struct ap_matrix *m)
{
	size_t na = bitmap_weight(m->apm, AP_MAX_ADAPTERS),
	       nd = bitmap_weight(m->aqm, AP_MAX_DOMAINS);
	size_t len = (na ? na : 1) * (nd ? nd : 1) * 8 + 1, n = 0;
	char *buf = heap_alloc(len);

	if (!buf)
		return NULL;
	buf[0] = 0;
	for (unsigned a = 0; a < AP_MAX_ADAPTERS; a++) {
		if (!bitmap_test_bit(m->apm, a))
			continue;
		if (!nd)
			n += (size_t)snprintf(buf + n, len - n, "%02x.\n", a);
		for (unsigned d = 0; nd && d < AP_MAX_DOMAINS; d++)
			if (bitmap_test_bit(m->aqm, d))
				n += (size_t)snprintf(buf + n, len - n, "%02x.%04x\n",
						      a, d);
	}
	for (unsigned d = 0; !na && d < AP_MAX_DOMAINS; d++)
		if (bitmap_test_bit(m->aqm, d))
			n += (size_t)snprintf(buf + n, len - n, ".%04x\n", d);
	return buf;
}

static int add_attr(struct sys *sys, const struct ap_matrix *m,
		    const char *attr, const char *text)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s/%s", VFIO_AP_PARENT, m->dev->name,
		 attr);
	return sys_ns_add_file(sys, path, text);
}

int vfio_ap_publish(struct sys *sys, struct ap_matrix *m, unsigned index)
{
	char cdom[AP_MAX_DOMAINS * 5 + 1], *matrix;
	size_t n = 0;
	int ret;

	matrix = format_matrix(m);
	if (!matrix)
		return -ENOMEM;
	cdom[0] = 0;
	for (unsigned d = 0; d < AP_MAX_DOMAINS; d++)
		if (bitmap_test_bit(m->adm, d))
			n += (size_t)snprintf(cdom + n, sizeof(cdom) - n, "%04x\n", d);
	ret = vfio_mdev_publish(sys, m->dev, index, VFIO_AP_PARENT);
	if (!ret) {
		ret = add_attr(sys, m, "matrix", matrix);
		if (!ret)
			ret = add_attr(sys, m, "control_domains", cdom);
		if (ret)
			vfio_mdev_unpublish(sys, m->dev, index, VFIO_AP_PARENT);
	}
	heap_free(matrix);
	m->published = !ret;
	return ret;
}

bool vfio_ap_request(struct ap_matrix *m)
{
	return vfio_core_signal(m->dev, VFIO_AP_REQ_IRQ_INDEX, 0);
}
