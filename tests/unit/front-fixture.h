/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every device-front test does before realizing: a fresh device of
 * the front with prefix pfx (vfio_pci, vfio_platform, vfio_ap,
 * vfio_ccw), "-device <front>,<props>" parsed and set on it, and, when
 * setting them succeeds, none of them left unknown. The front's own
 * realize follows (their signatures differ: a placement or an address
 * space). Evaluates to what setting the properties returned.
 */
#ifndef PARTITA_TEST_FRONT_FIXTURE_H
#define PARTITA_TEST_FRONT_FIXTURE_H

#include "test-helpers.h"
#include <partita/option.h>

#define front_set_props(pfx, reg, dev, props, errp) __extension__ ({	\
	struct opts *front_o_ = opts_parse((props), NULL, &error_abort);	\
	bool front_ok_;							\
									\
	pfx##_init(dev);						\
	front_ok_ = pfx##_set_props((reg), (dev), front_o_, (errp));	\
	if (front_ok_)							\
		assert_null(opts_first_unused(front_o_));		\
	opts_free(front_o_);						\
	front_ok_;							\
})

#endif
