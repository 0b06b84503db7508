// SPDX-License-Identifier: GPL-2.0-or-later
/* The format switch: one entry point, one teardown, per-format code. */
#include <partita/compiler.h>
#include <partita/io-pgtable.h>

/* IS_ENABLED keeps both branches compiling; the optimiser drops the call
 * to a format that is not built. */

struct io_pgtable_ops *alloc_io_pgtable_ops(enum io_pgtable_fmt fmt,
					    struct io_pgtable_cfg *cfg,
					    void *cookie)
{
	struct io_pgtable *iop;

	switch (fmt) {
	case ARM_64_LPAE_S1:
	case ARM_64_LPAE_S2:
		iop = IS_ENABLED(CONFIG_IO_PGTABLE_ARM_LPAE) ?
			arm_lpae_alloc(fmt, cfg, cookie) : NULL;
		break;
	case S390_ZPCI_DAT:
		iop = IS_ENABLED(CONFIG_IO_PGTABLE_S390_DAT) ?
			s390_dat_alloc(cfg, cookie) : NULL;
		break;
	default:
		iop = NULL;
		break;
	}
	return iop ? &iop->ops : NULL;
}

void free_io_pgtable_ops(struct io_pgtable_ops *ops)
{
	struct io_pgtable *iop;

	if (!ops)
		return;
	iop = io_pgtable_ops_to_pgtable(ops);
	if (IS_ENABLED(CONFIG_IO_PGTABLE_S390_DAT) && iop->fmt == S390_ZPCI_DAT)
		s390_dat_free(iop);
	else if (IS_ENABLED(CONFIG_IO_PGTABLE_ARM_LPAE))
		arm_lpae_free(iop);
}

size_t io_pgtable_table_pages(struct io_pgtable_ops *ops)
{
	struct io_pgtable *iop = io_pgtable_ops_to_pgtable(ops);

	if (IS_ENABLED(CONFIG_IO_PGTABLE_S390_DAT) && iop->fmt == S390_ZPCI_DAT)
		return s390_dat_table_pages(iop);
	if (IS_ENABLED(CONFIG_IO_PGTABLE_ARM_LPAE))
		return arm_lpae_table_pages(iop);
	return 0;
}
