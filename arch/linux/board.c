// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The board a running Linux is. Its devices are the PCI functions of the
 * real /sys (drivers/bus/sysfs.c), reached through the kernel's VFIO;
 * its RAM is the process's own anonymous memory, given "physical"
 * addresses from LINUX_RAM_BASE so the manager carves partitions from it
 * as from a board's pool (the kernel pins what a container maps); its
 * IOMMU's fault records are the kernel log's DMAR lines (Intel VT-d:
 * "DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr 0x..."),
 * read from /dev/kmsg. There is no IOMMU driver of Partita's here: the
 * kernel's is the one that translates.
 */
#include <partita/arch/board.h>
#include <partita/bus/bus.h>
#include <partita/heap.h>
#include <partita/log.h>
#include <partita/pci.h>
#include <partita/sys/fd.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LINUX_RAM_BASE 0x40000000ULL
#define LINUX_RAM_SIZE ((uint64_t)CONFIG_LINUX_RAM_MB << 20)
struct linux_board {
	uint8_t *ram;
	int kmsg;                    /* -1: no fault records */
};

bool board_init(struct board *b, const void *fdt, Error **errp)
{
	struct linux_board *lb = heap_zalloc(sizeof(*lb));
	struct bus_env env = { 0 };

	(void)fdt;
	memset(b, 0, sizeof(*b));
	if (!lb) {
		error_setg(errp, "board: out of memory");
		return false;
	}
	b->arch = lb;
	b->model = "Linux (the kernel's VFIO and IOMMU)";
	/* Reserved, not committed: only what partitions use is touched. */
	lb->ram = mmap(NULL, LINUX_RAM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (lb->ram == MAP_FAILED) {
		error_setg_errno(errp, errno, "board: cannot reserve %llu MiB "
				 "of memory for partitions",
				 (unsigned long long)(LINUX_RAM_SIZE >> 20));
		lb->ram = NULL;
		goto fail;
	}
	/* VT-d in QEMU drops a fault while the last is unread, and two
	 * devices faulting at once is what the self-test does. */
	b->faults_lossy = true;
	b->ram_base = b->pool_base = LINUX_RAM_BASE;
	b->ram_size = b->pool_size = LINUX_RAM_SIZE;
	/* Only records from now on: the log's end. */
	lb->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (lb->kmsg >= 0)
		lseek(lb->kmsg, 0, SEEK_END);
	else
		pr_info("board: no /dev/kmsg (%s): IOMMU faults are not read",
			strerror(errno));
	b->sys = sys_create(NULL);
	env.sys = b->sys;
	b->devices = bus_discover(&env, errp);
	if (!b->devices)
		goto fail;
	return true;
fail:
	board_fini(b);
	return false;
}

void board_fini(struct board *b)
{
	struct linux_board *lb = b->arch;

	if (!lb)
		return;
	bus_devices_release(b->devices);
	sys_destroy(b->sys);
	if (lb->kmsg >= 0)
		close(lb->kmsg);
	if (lb->ram)
		munmap(lb->ram, LINUX_RAM_SIZE);
	heap_free(lb);
	memset(b, 0, sizeof(*b));
}

void *board_ram_ptr(struct board *b, uint64_t pa, uint64_t len)
{
	struct linux_board *lb = b->arch;

	if (pa < b->ram_base || len > b->ram_size ||
	    pa - b->ram_base > b->ram_size - len)
		return NULL;
	return lb->ram + (pa - b->ram_base);
}

/* No IOMMU tables of Partita's: the kernel keeps them. */
unsigned long board_free_table_pages(const struct board *b)
{
	(void)b;
	return 0;
}

struct page_pool *board_table_pool(struct board *b)
{
	(void)b;
	return NULL;
}

struct umem *board_umem(struct board *b)
{
	(void)b;
	return NULL;
}

const void *board_default_fdt(void)
{
	return NULL;
}

/* VT-d's fault reasons for what a partition's device can do wrong
 * (the Intel VT-d specification's table of them; the kernel prints the
 * number and this text). */
static const char *reason_text(unsigned reason)
{
	switch (reason) {
	case 0x05:
		return "DMAR 0x05: PTE Write access is not set";
	case 0x06:
		return "DMAR 0x06: PTE Read access is not set";
	default:
		return "DMAR fault";
	}
}

/* One kmsg record ("pri,seq,usec,flags;text") as a fault, if it is a
 * VT-d DMA fault record. */
static bool parse_fault(const char *rec, struct board_fault *f)
{
	const char *text = strchr(rec, ';'), *p;
	unsigned bus, dev, fn, reason;
	unsigned long long addr;

	if (!text || !(p = strstr(text, "DMAR: [DMA ")))
		return false;
	p = strstr(p, "Request device [");
	if (!p || sscanf(p, "Request device [%x:%x.%x] fault addr 0x%llx "
			 "[fault reason 0x%x]", &bus, &dev, &fn, &addr,
			 &reason) != 5)
		return false;
	f->stream_id = pci_requester_id(bus, dev, fn);
	f->addr = addr;
	f->what = reason_text(reason);
	return true;
}

unsigned board_read_faults(struct board *b, struct board_fault *out,
			   unsigned max)
{
	struct linux_board *lb = b->arch;
	unsigned n = 0;
	/* /dev/kmsg hands out whole records and refuses (EINVAL) a buffer
	 * one does not fit: room for the largest (CONSOLE_EXT_LOG_MAX). */
	static char rec[8192];

	if (lb->kmsg < 0)
		return 0;
	while (n < max) {
		ssize_t len = read(lb->kmsg, rec, sizeof(rec) - 1);

		if (len < 0 && errno == EPIPE)
			continue;        /* overwritten records: go on */
		if (len <= 0)
			break;           /* EAGAIN: nothing more */
		rec[len] = 0;
		if (parse_fault(rec, &out[n]))
			n++;
	}
	return n;
}
