// SPDX-License-Identifier: GPL-2.0-or-later
/* Walking the PCI configuration space (include/partita/pci.h). */
#include <partita/pci.h>

uint8_t pci_find_capability(const uint8_t *config, uint8_t id)
{
	uint8_t pos;

	if (!(pci_get_word(config + PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = config[PCI_CAPABILITY_LIST] & ~3u;
	/* At most 48 capabilities fit in 192 bytes: a longer walk loops. */
	for (int ttl = 48; pos >= 0x40 && ttl--; pos = config[pos + 1] & ~3u)
		if (config[pos] == id)
			return pos;
	return 0;
}
