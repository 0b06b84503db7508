/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The board bring-up every board calls (arch/common/bring-up.c): the
 * device namespace made over umem (the memory the services below the line
 * may pin), the iommufd and type1 services registered in it as built,
 * discovery run over what env's tree describes (env->sys is set), each
 * device found bound to its VFIO bus driver (a struct device and IOMMU
 * group, the driver's object, interrupts wired) and published, and the
 * groups published for type1 (/dev/vfio/<id>). On failure nothing is
 * left. Not a hook: boards call it, nothing below them.
 */
#ifndef PARTITA_ARCH_BRING_UP_H
#define PARTITA_ARCH_BRING_UP_H

#include <partita/error.h>
#include <stdbool.h>

struct board_bound;
struct bus_devices;
struct bus_env;
struct sys;
struct umem;

bool board_bring_up(struct bus_env *env, struct umem *umem, struct sys **sys,
		    struct bus_devices **devices, struct board_bound **bound,
		    Error **errp);
/* Close the namespace (every fd), unbind, then free what discovery
 * found. */
void board_bring_down(struct sys *sys, struct board_bound *bound,
		      struct bus_devices *devices);

#endif
