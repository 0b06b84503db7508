/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the manager built, for people and for tools (log_print, so
 * reports appear whatever the log level):
 *
 *  - report_table: one block per partition (state, RAM range, device
 *    count) and one line per device (driver, backend, the backend's ids:
 *    IOAS/HWPT/device or container fd/group, DMA mappings and bytes),
 *    then the self-test's verdict when it ran;
 *  - report_mtree: each partition's memory tree, like QEMU's info mtree;
 *  - report_json: the same as the table as one JSON document;
 *  - report_devices: the board's assignable devices and their groups.
 */
#ifndef PARTITA_CORE_REPORT_H
#define PARTITA_CORE_REPORT_H

struct manager;
struct board;
struct selftest_result;

void report_table(struct manager *m, const struct selftest_result *st);
void report_mtree(struct manager *m);
void report_json(struct manager *m, const struct selftest_result *st);
void report_devices(const struct board *b);

#endif
