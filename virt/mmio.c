// SPDX-License-Identifier: GPL-2.0-or-later
/* MMIO exits (include/partita/virt/mmio.h). */
#include <partita/virt/mmio.h>
#include <string.h>

#define ISS_ISV     (1u << 24)
#define ISS_SAS(i)  (((i) >> 22) & 3)
#define ISS_SSE     (1u << 21)
#define ISS_SRT(i)  (((i) >> 16) & 0x1f)
#define ISS_SF      (1u << 15)
#define ISS_WNR     (1u << 6)
#define HPFAR_FIPA  0x00000ffffffffff0ULL   /* IPA[51:12] at bits 43:4 */

uint64_t mmio_fault_ipa(uint64_t far, uint64_t hpfar)
{
	return (hpfar & HPFAR_FIPA) << 8 | (far & 0xfff);
}

bool mmio_decode(uint64_t esr, uint64_t far, uint64_t hpfar,
		 struct mmio_access *a)
{
	uint32_t iss = (uint32_t)ESR_ISS(esr);

	if (ESR_EC(esr) != ESR_EC_DABT_LOW || !(iss & ISS_ISV))
		return false;
	*a = (struct mmio_access){
		.ipa = mmio_fault_ipa(far, hpfar),
		.size = 1u << ISS_SAS(iss),
		.reg = ISS_SRT(iss),
		.write = iss & ISS_WNR,
		.sign_extend = iss & ISS_SSE,
		.sf = iss & ISS_SF,
	};
	return true;
}

enum mmio_result mmio_emulate(AddressSpace *as, uint64_t esr, uint64_t far,
			      uint64_t hpfar, uint64_t regs[31],
			      struct mmio_access *a)
{
	uint8_t buf[8] = { 0 };
	uint64_t v = 0;

	if (!mmio_decode(esr, far, hpfar, a))
		return MMIO_NO_SYNDROME;
	if (a->write) {
		v = a->reg == 31 ? 0 : regs[a->reg];
		for (unsigned i = 0; i < a->size; i++)
			buf[i] = (uint8_t)(v >> (8 * i));
		return address_space_write(as, a->ipa, buf, a->size) == MEMTX_OK ?
		       MMIO_DONE : MMIO_UNMAPPED;
	}
	if (address_space_read(as, a->ipa, buf, a->size) != MEMTX_OK)
		return MMIO_UNMAPPED;
	for (unsigned i = 0; i < a->size; i++)
		v |= (uint64_t)buf[i] << (8 * i);
	if (a->sign_extend && a->size < 8 && (v >> (8 * a->size - 1) & 1))
		v |= ~0ULL << (8 * a->size);
	/* A W register: the upper half is zero, sign extension to 32. */
	if (!a->sf)
		v &= 0xffffffffu;
	if (a->reg != 31)
		regs[a->reg] = v;
	return MMIO_DONE;
}
