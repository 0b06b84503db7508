// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Channel-subsystem discovery on s390x: STORE SUBCHANNEL over subchannel
 * set 0, up to the first subchannel not provided. Each I/O subchannel with a valid device number is enabled just
 * long enough for one SENSE ID (control-unit and device type, what
 * Linux's cio shows as cutype/devtype), disabled again, and handed out
 * as a vfio-ccw mediated device. Linux lets the administrator pick an
 * mdev's UUID; a firmware has no administrator, so the UUID is derived
 * from the subchannel id: 0.<ss>.<xxxx> is
 * 00000000-0000-0000-0000-0000000<s><xxxx> (docs/s390x.md).
 */
#include "../bus-private.h"
#include <partita/arch/s390x/cio.h>
#include <partita/log.h>
#include <string.h>

#define CSS_SENSE_ID            0xe4
#define SENSE_ID_LEN            256     /* QEMU needs 256 or SLI */
#define SENSE_ID_TIMEOUT_NS     (1000ULL * 1000 * 1000)

/* The SENSE ID data and its channel program (below 2 GiB: the image). */
static uint8_t sense_data[SENSE_ID_LEN] __attribute__((aligned(8)));
static uint8_t sense_ccw[CCW_SIZE] __attribute__((aligned(8)));

struct sense_id {
	uint16_t cu_type, dev_type;
	uint8_t cu_model, dev_model;
};

/* SENSE ID on schid (enabled here, disabled after): false if the device
 * does not answer it. */
static bool sense_id(uint32_t schid, struct sense_id *id)
{
	struct orb orb = { .intparm = schid,
			   .w1 = ORB_W1_FMT | ORB_W1_PFCH | 0xff00,
			   .cpa = (uint32_t)(uintptr_t)sense_ccw };
	struct irb irb;
	uint8_t dstat, cstat;
	bool ok;

	memset(sense_data, 0, sizeof(sense_data));
	ccw_encode(sense_ccw, (struct ccw1){ CSS_SENSE_ID, CCW_FLAG_SLI,
			SENSE_ID_LEN, (uint32_t)(uintptr_t)sense_data });
	if (s390x_cio_enable(schid, true))
		return false;
	ok = !s390x_cio_run(schid, &orb, &irb, SENSE_ID_TIMEOUT_NS);
	dstat = (uint8_t)(irb.scsw[2] >> 24);
	cstat = (uint8_t)(irb.scsw[2] >> 16);
	/* Channel end and device end, nothing wrong (SLI: the short data
	 * is no incorrect length), and the data's own marker. */
	ok = ok && (dstat & (DEV_STAT_CHN_END | DEV_STAT_DEV_END)) ==
		   (DEV_STAT_CHN_END | DEV_STAT_DEV_END) &&
	     !(dstat & DEV_STAT_UNIT_CHECK) && !cstat && sense_data[0] == 0xff;
	s390x_cio_enable(schid, false);
	if (!ok)
		return false;
	*id = (struct sense_id){
		.cu_type = (uint16_t)(sense_data[1] << 8 | sense_data[2]),
		.cu_model = sense_data[3],
		.dev_type = (uint16_t)(sense_data[4] << 8 | sense_data[5]),
		.dev_model = sense_data[6],
	};
	return true;
}

static bool add_subchannel(const struct bus_env *env, struct bus_devices *d,
			   uint16_t schno, const struct schib *schib,
			   Error **errp)
{
	uint32_t schid = CIO_SCHID(0, schno);
	uint16_t devno = PMCW_W1_DEVNO(schib->pmcw.w1);
	struct sense_id id = { 0 };
	struct bus_subchannel *sch;
	struct bus_entry *ent;
	char uuid[37];

	if (!sense_id(schid, &id))
		pr_warn("css: 0.0.%04x (subchannel 0.0.%04x): no answer to "
			"SENSE ID; its type is unknown", devno, schno);
	snprintf(uuid, sizeof(uuid), "00000000-0000-0000-0000-%012x", schno);
	ent = bus_css_add_mdev(d, uuid, schno, errp);
	if (!ent)
		return false;
	sch = ent->sch;
	sch->devno = devno;
	sch->cu_type = id.cu_type;
	sch->cu_model = id.cu_model;
	sch->dev_type = id.dev_type;
	sch->dev_model = id.dev_model;
	snprintf(ent->compat, sizeof(ent->compat), "0.0.%04x cu %04x/%02x",
		 devno, id.cu_type, id.cu_model);
	/* A partition's channel programs and their data addresses are
	 * 31-bit (ORB, format-1 CCWs, IDALs). */
	ent->info.dma_first = 0;
	ent->info.dma_last = CCW_ADDR_LIMIT - 1;
	ent->info.dma_why = "channel programs' 31-bit addresses";
	(void)env;
	return true;
}

bool bus_css_stsch_discover(const struct bus_env *env, struct bus_devices *d,
			    Error **errp)
{
	if (!env->css_start) {
		pr_info("css: this board starts no channel programs: no "
			"subchannel is handed out");
		return true;
	}
	for (uint32_t schno = 0; schno <= 0xffff; schno++) {
		struct schib schib;

		/* cc 3: not provided. Subchannels are numbered from 0 without
		 * gaps, so the first missing one ends the set (Linux's scan
		 * stops there too); scanning on costs 65536 STSCHs. */
		if (cio_stsch(CIO_SCHID(0, schno), &schib))
			break;
		if (PMCW_W6_TYPE(schib.pmcw.w6) != PMCW_TYPE_IO ||
		    !(schib.pmcw.w1 & PMCW_W1_DNV))
			continue;
		if (!add_subchannel(env, d, (uint16_t)schno, &schib, errp))
			return false;
	}
	return true;
}
