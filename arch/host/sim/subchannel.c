// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hardware model of a board subchannel and its device. The program runs
 * at once; any access to an address the board does not have ends it with
 * a program check, as an invalid address does on real channels.
 */
#include <partita/heap.h>
#include <partita/sim/subchannel.h>
#include <stdbool.h>
#include <string.h>

struct sim_subchannel {
	AddressSpace *mem;
	uint8_t store[SIM_SCH_STORE_SIZE];
	unsigned starts;
};

struct sim_subchannel *sim_subchannel_create(AddressSpace *mem)
{
	struct sim_subchannel *s = heap_zalloc(sizeof(*s));

	if (s)
		s->mem = mem;
	return s;
}

void sim_subchannel_destroy(struct sim_subchannel *s)
{
	heap_free(s);
}

uint8_t *sim_subchannel_store(struct sim_subchannel *s)
{
	return s->store;
}

unsigned sim_subchannel_starts(const struct sim_subchannel *s)
{
	return s->starts;
}

/* Move n bytes between memory at addr and the store at off. */
static bool move(struct sim_subchannel *s, uint8_t cmd, bool skip,
		 uint64_t addr, unsigned off, unsigned n)
{
	if (cmd == CCW_CMD_WRITE)
		return address_space_read(s->mem, addr, s->store + off, n) == MEMTX_OK;
	if (skip)
		return true;
	return address_space_write(s->mem, addr, s->store + off, n) == MEMTX_OK;
}

/* One CCW's data: count bytes at cda, or through the IDAL at cda. Returns
 * the bytes moved, or -1 on a program check. */
static int transfer(struct sim_subchannel *s, uint8_t cmd, struct ccw1 c,
		    unsigned *off)
{
	unsigned want = c.count, done = 0;
	uint64_t idal = c.cda, addr = c.cda;
	bool skip = c.flags & CCW_FLAG_SKIP;

	if (*off + want > SIM_SCH_STORE_SIZE)
		want = SIM_SCH_STORE_SIZE - *off;
	for (unsigned i = 0; done < want; i++) {
		unsigned n = want - done;

		if (c.flags & CCW_FLAG_IDA) {
			uint8_t w[IDAW_SIZE];

			if (address_space_read(s->mem, idal + i * IDAW_SIZE, w,
					       sizeof(w)) != MEMTX_OK)
				return -1;
			addr = ccw_get_be64(w);
			if (i && addr % IDAW_BLOCK)
				return -1;
			if (n > IDAW_BLOCK - addr % IDAW_BLOCK)
				n = IDAW_BLOCK - addr % IDAW_BLOCK;
		} else {
			addr = c.cda + done;
		}
		if (!move(s, cmd, skip, addr, *off, n))
			return -1;
		*off += n;
		done += n;
	}
	return (int)done;
}

void sim_subchannel_start(struct sim_subchannel *s, uint32_t cpa,
			  struct ccw_status *st)
{
	uint64_t at = cpa;
	uint8_t cmd = 0;
	unsigned off = 0;
	bool chained_data = false;

	s->starts++;
	memset(st, 0, sizeof(*st));
	for (unsigned n = 0;; n++) {
		uint8_t b[CCW_SIZE];
		struct ccw1 c;
		int moved;

		if (n == SIM_SCH_MAX_CCWS)
			goto program_check;
		if (address_space_read(s->mem, at, b, sizeof(b)) != MEMTX_OK)
			goto program_check;
		c = ccw_decode(b);
		st->cpa = (uint32_t)(at + CCW_SIZE);
		/* A TIC keeps the chaining in force (data chaining too). */
		if (ccw_is_tic(c.cmd)) {
			at = c.cda;
			continue;
		}
		if (!chained_data) {
			cmd = c.cmd;
			off = 0;
		}
		if (cmd != CCW_CMD_NOOP) {
			if (!c.count)
				goto program_check;
			moved = transfer(s, cmd, c, &off);
			if (moved < 0)
				goto program_check;
			if (moved < c.count) {
				st->count = (uint16_t)(c.count - moved);
				if (!(c.flags & CCW_FLAG_SLI))
					st->cstat |= SCH_STAT_INCORR_LEN;
				break;
			}
		}
		chained_data = c.flags & CCW_FLAG_CD;
		if (!(c.flags & (CCW_FLAG_CD | CCW_FLAG_CC)))
			break;
		at += CCW_SIZE;
	}
	st->dstat = DEV_STAT_CHN_END | DEV_STAT_DEV_END;
	return;
program_check:
	st->cstat |= SCH_STAT_PROG_CHECK;
	st->dstat = DEV_STAT_CHN_END | DEV_STAT_DEV_END;
}
