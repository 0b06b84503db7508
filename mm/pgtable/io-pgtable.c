// SPDX-License-Identifier: GPL-2.0-or-later
/* One entry point and one teardown over a table of formats (Linux's
 * io_pgtable_init_table): each format built brings its row. */
#include <partita/compiler.h>
#include <partita/mm/pgtable/io-pgtable.h>
#include <stddef.h>

struct io_pgtable_format {
	enum io_pgtable_fmt fmt;
	struct io_pgtable *(*alloc)(enum io_pgtable_fmt fmt,
				    struct io_pgtable_cfg *cfg, void *cookie);
	void (*free)(struct io_pgtable *iop);
	size_t (*table_pages)(struct io_pgtable *iop);
};

#if IS_ENABLED(CONFIG_IO_PGTABLE_S390_DAT)
static struct io_pgtable *s390_dat_alloc_fmt(enum io_pgtable_fmt fmt,
					     struct io_pgtable_cfg *cfg,
					     void *cookie)
{
	(void)fmt;
	return s390_dat_alloc(cfg, cookie);
}
#endif

static const struct io_pgtable_format formats[] = {
#if IS_ENABLED(CONFIG_IO_PGTABLE_ARM_LPAE)
	{ ARM_64_LPAE_S1, arm_lpae_alloc, arm_lpae_free, arm_lpae_table_pages },
	{ ARM_64_LPAE_S2, arm_lpae_alloc, arm_lpae_free, arm_lpae_table_pages },
#endif
#if IS_ENABLED(CONFIG_IO_PGTABLE_S390_DAT)
	{ S390_ZPCI_DAT, s390_dat_alloc_fmt, s390_dat_free, s390_dat_table_pages },
#endif
};

static const struct io_pgtable_format *format(enum io_pgtable_fmt fmt)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].fmt == fmt)
			return &formats[i];
	return NULL;
}

struct io_pgtable_ops *alloc_io_pgtable_ops(enum io_pgtable_fmt fmt,
					    struct io_pgtable_cfg *cfg,
					    void *cookie)
{
	const struct io_pgtable_format *f = format(fmt);
	struct io_pgtable *iop = f ? f->alloc(fmt, cfg, cookie) : NULL;

	return iop ? &iop->ops : NULL;
}

void free_io_pgtable_ops(struct io_pgtable_ops *ops)
{
	struct io_pgtable *iop;

	if (!ops)
		return;
	iop = io_pgtable_ops_to_pgtable(ops);
	/* Only a built format could have made it. */
	format(iop->fmt)->free(iop);
}

size_t io_pgtable_table_pages(struct io_pgtable_ops *ops)
{
	struct io_pgtable *iop = io_pgtable_ops_to_pgtable(ops);

	return format(iop->fmt)->table_pages(iop);
}
