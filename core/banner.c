// SPDX-License-Identifier: GPL-2.0-or-later
#include <partita/compiler.h>
#include <partita/core/main.h>
#include <partita/log.h>

/* The banner lists what the image can use: the backends, fronts and
 * IOMMU drivers Kconfig built in, and only where a board brings them up
 * (without one nothing of them is linked). */
void partita_print_banner(const char *arch)
{
	pr_info("Partita %s (%s) - static partition manager", PARTITA_VERSION,
		arch);
	if (!IS_ENABLED(CONFIG_HAS_BOARD)) {
		pr_info("  no board for this target yet: no backend, front or "
			"IOMMU driver is linked, nothing can be assigned");
		return;
	}
	pr_info("  VFIO backends:%s%s  fronts:%s%s%s%s  IOMMU:%s%s%s%s",
		IS_ENABLED(CONFIG_VFIO_IOMMUFD) ? " iommufd" : "",
		IS_ENABLED(CONFIG_VFIO_LEGACY) ? " legacy" : "",
		IS_ENABLED(CONFIG_VFIO_PCI) ? " vfio-pci" : "",
		IS_ENABLED(CONFIG_VFIO_PLATFORM) ? " vfio-platform" : "",
		IS_ENABLED(CONFIG_VFIO_AP) ? " vfio-ap" : "",
		IS_ENABLED(CONFIG_VFIO_CCW) ? " vfio-ccw" : "",
		IS_ENABLED(CONFIG_IOMMU_SMMUV3) ? " smmuv3" : "",
		IS_ENABLED(CONFIG_IOMMU_ZPCI) ? " zpci" : "",
		IS_ENABLED(CONFIG_IOMMU_SIM) ? " sim" : "",
		IS_ENABLED(CONFIG_IOMMU_HOST_KERNEL) ? " the host kernel's" :
		!IS_ENABLED(CONFIG_IOMMU_SMMUV3) && !IS_ENABLED(CONFIG_IOMMU_ZPCI) &&
		!IS_ENABLED(CONFIG_IOMMU_SIM) ? " none" : "");
}
