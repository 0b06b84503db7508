/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The board bring-up every board calls (arch/common/bring-up.c): the
 * device namespace made over umem (the memory the services below the line
 * may pin), the iommufd and type1 services registered in it as built,
 * discovery run over what env's tree describes (env->sys is set), and the
 * IOMMU groups discovery made published for type1 (/dev/vfio/<id>). On
 * failure nothing is left. Not a hook: boards call it, nothing below them.
 */
#ifndef PARTITA_ARCH_BRING_UP_H
#define PARTITA_ARCH_BRING_UP_H

#include <partita/error.h>
#include <stdbool.h>

struct bus_devices;
struct bus_env;
struct sys;
struct umem;

bool board_bring_up(struct bus_env *env, struct umem *umem, struct sys **sys,
		    struct bus_devices **devices, Error **errp);
/* Close the namespace (every fd), then free what discovery made. */
void board_bring_down(struct sys *sys, struct bus_devices *devices);

#endif
