/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ioctl request numbers in Linux's generic encoding (asm-generic/ioctl.h,
 * used by arm64 and s390x alike): nr in bits 0-7, type in 8-15, size in
 * 16-29, direction in 30-31. VFIO and iommufd use only _IO, which encodes
 * no size: their structs carry their own size or argsz.
 */
#ifndef PARTITA_UAPI_LINUX_IOCTL_H
#define PARTITA_UAPI_LINUX_IOCTL_H

#ifndef _IOC
#define _IOC_NRSHIFT    0
#define _IOC_TYPESHIFT  8
#define _IOC_SIZESHIFT  16
#define _IOC_DIRSHIFT   30
#define _IOC_NONE       0U
#define _IOC(dir, type, nr, size)                                         \
	(((dir) << _IOC_DIRSHIFT) | ((type) << _IOC_TYPESHIFT) |          \
	 ((nr) << _IOC_NRSHIFT) | ((size) << _IOC_SIZESHIFT))
#define _IO(type, nr) _IOC(_IOC_NONE, (type), (nr), 0)
#define _IOC_NR(req) (((req) >> _IOC_NRSHIFT) & 0xff)
#define _IOC_TYPE(req) (((req) >> _IOC_TYPESHIFT) & 0xff)
#endif

#endif
