// SPDX-License-Identifier: GPL-2.0-or-later
/* The example guests' runtime (guest.h). */
#include "guest.h"
#include <libfdt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define PSCI_CPU_OFF     0x84000002u
#define PSCI_CPU_ON_64   0xc4000003u
#define PSCI_SYSTEM_OFF  0x84000008u
#define UARTDR           0x00
#define UARTFR           0x18
#define UARTFR_TXFF      (1u << 5)
#define MAX_VCPUS        8
#define STACK_SIZE       8192

/* head.S reads stack_top first, with the MMU off. */
struct rt_cpu {
	uint64_t stack_top;
	void (*fn)(void *);
	void *arg;
};

void rt_start(const void *fdt);
void rt_secondary_start(struct rt_cpu *c);
void rt_secondary_entry(void);
void _set_tls(void *tls);
void _exit(int status);
pid_t getpid(void);
int kill(pid_t pid, int sig);
extern char __tls_base[];

static const void *the_fdt;
static volatile uint32_t *uart = (volatile uint32_t *)0x09000000;
static bool use_hvc;
static atomic_flag print_lock = ATOMIC_FLAG_INIT;
static struct rt_cpu cpus[MAX_VCPUS];
static uint8_t stacks[MAX_VCPUS][STACK_SIZE] __attribute__((aligned(16)));

static int uart_putc(char c, FILE *f)
{
	(void)f;
	while (uart[UARTFR / 4] & UARTFR_TXFF)
		;
	uart[UARTDR / 4] = (uint8_t)c;
	return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(uart_putc, NULL, NULL,
					_FDEV_SETUP_WRITE);
FILE *const stdin = NULL;
FILE *const stdout = &console;
FILE *const stderr = &console;

void rt_lock(void)
{
	while (atomic_flag_test_and_set_explicit(&print_lock,
						 memory_order_acquire))
		;
}

void rt_unlock(void)
{
	atomic_flag_clear_explicit(&print_lock, memory_order_release);
}

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 32 | fdt32_to_cpu(*p++);
	return v;
}

/* The console the device tree names (/chosen/stdout-path). */
static void find_console(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), node = -1, len;
	const char *path = chosen >= 0 ?
		fdt_getprop(fdt, chosen, "stdout-path", NULL) : NULL;
	const fdt32_t *reg;

	if (path) {
		char name[64];
		size_t n = strcspn(path, ":");

		if (n < sizeof(name)) {
			memcpy(name, path, n);
			name[n] = '\0';
			node = fdt_path_offset(fdt, name);
		}
	}
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	reg = node >= 0 ? fdt_getprop(fdt, node, "reg", &len) : NULL;
	if (reg && len >= 16)
		uart = (volatile uint32_t *)(uintptr_t)cells(reg, 2);
}

void rt_start(const void *fdt)
{
	int node;

	_set_tls(__tls_base);
	if (fdt_check_header(fdt)) {
		printf("guest: x0 = %p is not a device tree\n", fdt);
		rt_exit(2);
	}
	the_fdt = fdt;
	find_console(fdt);
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	use_hvc = node >= 0 && fdt_getprop(fdt, node, "method", NULL) &&
		  !strcmp(fdt_getprop(fdt, node, "method", NULL), "hvc");
	rt_exit(guest_main(fdt));
}

const void *rt_fdt(void)
{
	return the_fdt;
}

int64_t rt_smc(uint32_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("smc #0" : "+r"(x0) :: "x1", "x2", "x3", "memory");
	return (int64_t)x0;
}

int64_t rt_hvc(uint32_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("hvc #0" : "+r"(x0) :: "x1", "x2", "x3", "memory");
	return (int64_t)x0;
}

int64_t rt_psci(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (use_hvc)
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :: "memory");
	else
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :: "memory");
	return (int64_t)x0;
}

int64_t rt_cpu_on(unsigned id, void (*fn)(void *), void *arg)
{
	struct rt_cpu *c;

	if (id >= MAX_VCPUS)
		return -2;              /* INVALID_PARAMETERS */
	c = &cpus[id];
	c->stack_top = (uint64_t)(uintptr_t)(stacks[id] + STACK_SIZE);
	c->fn = fn;
	c->arg = arg;
	/* The new vCPU reads it with its MMU off: clean it to memory. */
	for (uintptr_t a = (uintptr_t)c & ~63UL; a < (uintptr_t)(c + 1); a += 64)
		__asm__ volatile("dc cvac, %0" :: "r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
	return rt_psci(PSCI_CPU_ON_64, id,
		       (uint64_t)(uintptr_t)rt_secondary_entry,
		       (uint64_t)(uintptr_t)c);
}

void rt_secondary_start(struct rt_cpu *c)
{
	_set_tls(__tls_base);
	c->fn(c->arg);
	rt_cpu_off();
}

void rt_cpu_off(void)
{
	rt_psci(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)                        /* CPU_OFF does not return */
		__asm__ volatile("wfi");
}

uint64_t rt_mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v;
}

unsigned rt_vcpu_id(void)
{
	return (unsigned)(rt_mpidr() & 0xff);
}

uint64_t rt_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t rt_counter_hz(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

const char *rt_bootarg(const char *key, char *buf, unsigned len)
{
	int chosen = fdt_path_offset(the_fdt, "/chosen");
	const char *args = chosen >= 0 ?
		fdt_getprop(the_fdt, chosen, "bootargs", NULL) : NULL;
	size_t klen = strlen(key);

	for (const char *p = args; p && *p;) {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t v = n - klen - 1;

			if (v >= len)
				v = len - 1;
			memcpy(buf, p + klen + 1, v);
			buf[v] = '\0';
			return buf;
		}
		p += n;
	}
	return NULL;
}

bool rt_memory(uint64_t *base, uint64_t *size)
{
	int node = fdt_node_offset_by_prop_value(the_fdt, -1, "device_type",
						 "memory", sizeof("memory"));
	int len;
	const fdt32_t *reg = node >= 0 ?
		fdt_getprop(the_fdt, node, "reg", &len) : NULL;

	if (!reg || len < 16)
		return false;
	*base = cells(reg, 2);
	*size = cells(reg + 2, 2);
	return true;
}

unsigned rt_cpu_count(void)
{
	int cpus = fdt_path_offset(the_fdt, "/cpus"), node;
	unsigned n = 0;

	if (cpus < 0)
		return 0;
	fdt_for_each_subnode(node, the_fdt, cpus)
		n++;
	return n;
}

void rt_exit(int status)
{
	rt_lock();
	printf("EXIT: STATUS=%d\n", status);
	rt_unlock();
	rt_psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

/* picolibc's hooks. */
void _exit(int status)
{
	rt_exit(status);
}

pid_t getpid(void)
{
	return 1;
}

int kill(pid_t pid, int sig)
{
	(void)pid;
	rt_exit(128 + sig);
}
