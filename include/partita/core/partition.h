/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A partition: RAM carved from the board's pool, seen by the partition
 * (and its devices' DMA) at its physical address unless configured
 * elsewhere (ram-addr: a device with a narrow DMA mask needs low
 * addresses); an address space holding
 * that RAM and a window for its devices' regions; the devices assigned
 * to it; a state.
 *
 * Destroying a partition unrealizes its devices (their mappings, fds
 * and pinned pages go with them), removes its RAM and zeroes it, so the
 * next owner finds nothing of the last one.
 */
#ifndef PARTITA_CORE_PARTITION_H
#define PARTITA_CORE_PARTITION_H

#include <partita/bus/bus.h>
#include <partita/error.h>
#include <partita/mm/memory.h>
#include <partita/vfio/region.h>
#include <stdbool.h>
#include <stdint.h>

struct board;
struct opts;
struct vfio_registry;
struct vfio_device;
struct guest_config;
struct guest;

/* Where device regions go in every partition's address space, and the
 * interrupt lines platform devices get. */
#define PARTITION_MMIO_BASE 0x10000000ULL
#define PARTITION_MMIO_SIZE 0x10000000ULL
#define PARTITION_IRQ_BASE  32
#define PARTITION_IRQ_COUNT 64

enum partition_state {
	PARTITION_CREATED,       /* RAM and address space, devices coming */
	PARTITION_RUNNING,       /* every device realized */
	PARTITION_STOPPED,       /* torn down */
	PARTITION_FAILED,        /* a device's DMA mapping failed at run time */
};

const char *partition_state_name(enum partition_state s);

/* A -device driver (core/fronts.c). */
struct partition_front {
	const char *driver;          /* "vfio-pci" */
	const char *kconfig;         /* "CONFIG_VFIO_PCI" */
	enum bus_kind kind;
	bool built;                  /* compiled into this image */
	size_t size;
	void (*init)(void *dev);
	bool (*set_props)(struct vfio_registry *reg, void *dev,
			  struct opts *opts, Error **errp);
	/* The host device the properties name, checked as realize checks
	 * it but opening nothing (QEMU's messages). */
	bool (*locate)(struct vfio_registry *reg, void *dev, Error **errp);
	bool (*realize)(struct vfio_registry *reg, void *dev,
			const struct vfio_placement *pl, Error **errp);
	void (*fini)(void *dev);     /* unrealizes when needed */
	struct vfio_device *(*vdev)(void *dev);
	/* Optional: what the report says of this kind of device beyond the
	 * common columns: a note for the table and JSON members (without
	 * the leading comma). */
	void (*report)(void *dev, char *note, size_t nlen, char *json,
		       size_t jlen);
};

/* The front for a driver name, or NULL when there is no such driver;
 * check ->built before use. */
const struct partition_front *partition_front_find(const char *driver);

struct partition_device {
	const struct partition_front *front;
	void *dev;                          /* the front's device */
	char *text;                         /* the -device argument */
	const struct bus_device_info *hw;   /* the board's device */
	struct partition_device *next, *prev;
};

struct partition {
	char *id;
	uint64_t ram_base, ram_size;        /* physical */
	uint64_t ram_addr;                  /* where the partition (and its
	                                     * devices' DMA) sees it */
	uint8_t *ram;                       /* the CPU's view */
	MemoryRegion root, ram_mr;
	AddressSpace as;
	uint64_t mmio_next;
	unsigned irq_next;
	unsigned long irqs_raised;
	struct vfio_placement pl;
	struct partition_device *devices;   /* in the order realized */
	struct partition_device *last;      /* the newest: teardown's start */
	unsigned ndevices;
	enum partition_state state;
	struct vfio_registry *reg;
	/* Its guest (CONFIG_GUESTS): what was checked, and once run, the
	 * guest itself (virt/guest.h); NULL for a partition without one. */
	struct guest_config *guest_cfg;
	struct guest *guest;
	struct partition *next;
};

/* RAM [base, base + size) of board b (page aligned, inside its pool,
 * checked by the caller), zeroed, seen by the partition at addr. */
struct partition *partition_create(struct board *b, MemoryContext *ctx,
				   struct vfio_registry *reg, const char *id,
				   uint64_t base, uint64_t addr, uint64_t size,
				   Error **errp);
/* Everything of a -device that can be known before anything is built:
 * its properties set on a scratch device (a bad value, or "Property
 * 'vfio-pci.x' not found"), then the host device they name located
 * (QEMU's "no such host device" and the like). *sysfsdev is the sysfs
 * path the device was looked for at (heap; NULL for a passed fd, which
 * names no path), on failure too: the caller frees it. The scratch
 * device is gone either way; opts keep their "used" marks. */
bool partition_check_device(struct vfio_registry *reg,
			    const struct partition_front *front,
			    struct opts *opts, char **sysfsdev, Error **errp);
/* Set the properties of a -device (opts: partition= and id= already
 * taken), check none is unknown ("Property 'vfio-pci.x' not found"),
 * realize. On failure nothing of the device is left. */
bool partition_add_device(struct partition *p,
			  const struct partition_front *front,
			  const char *text, struct opts *opts,
			  const struct bus_device_info *hw, Error **errp);
/* Every device realized: RUNNING, or FAILED when a mapping failed. */
void partition_start(struct partition *p);
/* Refresh the state from the VFIO address space (a runtime failure). */
void partition_update_state(struct partition *p);
void partition_destroy(struct partition *p);

/* The VFIO device of a partition device. */
struct vfio_device *partition_device_vdev(const struct partition_device *d);

#endif
