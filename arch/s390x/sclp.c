// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SCLP requests through SERVICE CALL (servc). Each request is an SCCB, a
 * block below 2 GiB that SCLP answers in place; completion is signalled by
 * a service-signal external interrupt, waited for at most
 * SCLP_TIMEOUT_NS: an SCLP that stops answering is then given up (every
 * later request fails at once) instead of hanging the boot. Layouts and codes from Linux's drivers/s390/char/sclp.h and
 * QEMU's include/hw/s390x/sclp.h.
 */
#include "lowcore.h"
#include "s390x.h"
#include <partita/compiler.h>
#include <stddef.h>
#include <string.h>

#define SCLP_CMDW_READ_SCP_INFO         0x00020001
#define SCLP_CMDW_READ_SCP_INFO_FORCED  0x00120001
#define SCLP_CMD_WRITE_EVENT_DATA       0x00760005
#define SCLP_CMD_WRITE_EVENT_MASK       0x00780005

#define SCLP_RC_NORMAL_READ_COMPLETION  0x0010
#define SCLP_RC_NORMAL_COMPLETION       0x0020

#define SCLP_EVENT_ASCII_CONSOLE_DATA   0x1a
/* Event masks: event type t is bit t-1 counting from the left. */
#define SCLP_EVENT_MASK(type)           (1u << (32 - (type)))

#define SCCB_SIZE 4096
/* QEMU answers in microseconds; a real SCLP in well under a second. */
#define SCLP_TIMEOUT_NS (5ULL * 1000 * 1000 * 1000)

struct sccb_header {
	uint16_t length;
	uint8_t function_code;
	uint8_t control_mask[3];
	uint16_t response_code;
} __attribute__((packed));

struct write_event_mask {
	struct sccb_header h;
	uint16_t reserved;
	uint16_t mask_length;
	uint32_t cp_receive_mask;
	uint32_t cp_send_mask;
	uint32_t sclp_receive_mask;
	uint32_t sclp_send_mask;
} __attribute__((packed));

struct event_buffer_header {
	uint16_t length;
	uint8_t type;
	uint8_t flags;
	uint16_t reserved;
} __attribute__((packed));

struct write_event_data {
	struct sccb_header h;
	struct event_buffer_header ebh;
	char data[];
} __attribute__((packed));

struct read_info {
	struct sccb_header h;
	uint16_t rnmax;                 /* 8: storage increments */
	uint8_t rnsize;                 /* 10: increment size in MiB */
	uint8_t reserved1[16 - 11];
	uint16_t cpu_entries;           /* 16 */
	uint16_t cpu_offset;            /* 18 */
	uint8_t reserved2[100 - 20];
	uint32_t rnsize2;               /* 100: when rnsize is 0 */
	uint64_t rnmax2;                /* 104: when rnmax is 0 */
} __attribute__((packed));

_Static_assert(offsetof(struct read_info, rnsize2) == 100, "read_info");
_Static_assert(offsetof(struct read_info, rnmax2) == 104, "read_info");
_Static_assert(sizeof(struct write_event_mask) == 28, "write_event_mask");

/* One SCCB, page aligned so it never crosses a page. */
static uint8_t sccb_page[SCCB_SIZE] __attribute__((aligned(4096)));

static int servc(uint32_t command, void *sccb)
{
	int cc;

	__asm__ volatile(".insn rre,0xb2200000,%[cmd],%[sccb]\n\t"
			 "ipm %[cc]\n\t"
			 "srl %[cc],28"
			 : [cc] "=d"(cc)
			 : [cmd] "d"(command), [sccb] "a"(sccb)
			 : "cc", "memory");
	return cc;
}

static bool sclp_gone;

/* The service signal that ends a request, within the timeout. */
static bool wait_service_signal(void)
{
	if (s390x_wait_ext_timeout(CR0_SERVICE_SIGNAL, SCLP_TIMEOUT_NS) ==
	    EXT_CODE_SERVICE_SIGNAL)
		return true;
	sclp_gone = true;
	return false;
}

/* Issue a command and wait for it; returns SCLP's response code, or 0
 * when SCLP is not operational or stopped answering. */
static uint16_t sclp_call(uint32_t command)
{
	struct sccb_header *h = (struct sccb_header *)sccb_page;
	int cc;

	if (sclp_gone)
		return 0;
	/* cc 2: busy with an earlier request; it will signal when done. */
	while ((cc = servc(command, sccb_page)) == 2)
		if (!wait_service_signal())
			return 0;
	if (cc != 0 || !wait_service_signal())
		return 0;
	return h->response_code;
}

bool sclp_console_init(void)
{
	struct write_event_mask *m = (struct write_event_mask *)sccb_page;

	memset(sccb_page, 0, sizeof(struct write_event_mask));
	m->h.length = sizeof(*m);
	m->mask_length = sizeof(uint32_t);
	m->cp_send_mask = SCLP_EVENT_MASK(SCLP_EVENT_ASCII_CONSOLE_DATA);
	return sclp_call(SCLP_CMD_WRITE_EVENT_MASK) ==
	       SCLP_RC_NORMAL_COMPLETION;
}

static void write_chunk(const char *s, size_t n)
{
	struct write_event_data *w = (struct write_event_data *)sccb_page;

	memset(w, 0, sizeof(*w));
	memcpy(w->data, s, n);
	w->ebh.length = (uint16_t)(sizeof(w->ebh) + n);
	w->ebh.type = SCLP_EVENT_ASCII_CONSOLE_DATA;
	w->h.length = (uint16_t)(sizeof(*w) + n);
	sclp_call(SCLP_CMD_WRITE_EVENT_DATA);
}

/* The VT220 console is a terminal: lines end in CR LF. */
void sclp_console_write(const char *s)
{
	char buf[256];
	size_t n = 0;

	for (; *s; s++) {
		if (n + 2 > sizeof(buf)) {
			write_chunk(buf, n);
			n = 0;
		}
		if (*s == '\n')
			buf[n++] = '\r';
		buf[n++] = *s;
	}
	if (n)
		write_chunk(buf, n);
}

bool sclp_read_info(uint64_t *ram_bytes, unsigned *cpus)
{
	struct read_info *ri = (struct read_info *)sccb_page;
	static const uint32_t commands[] = {
		SCLP_CMDW_READ_SCP_INFO_FORCED, SCLP_CMDW_READ_SCP_INFO,
	};

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		uint64_t increments, size_mib;

		memset(sccb_page, 0, sizeof(sccb_page));
		ri->h.length = SCCB_SIZE;
		if (sclp_call(commands[i]) != SCLP_RC_NORMAL_READ_COMPLETION)
			continue;
		increments = ri->rnmax ? ri->rnmax : ri->rnmax2;
		size_mib = ri->rnsize ? ri->rnsize : ri->rnsize2;
		*ram_bytes = increments * size_mib << 20;
		*cpus = ri->cpu_entries;
		return true;
	}
	return false;
}
