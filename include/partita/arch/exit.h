/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A hook every firmware target implements (arch/<arch>/): end the run.
 * Prints "EXIT: STATUS=<status>", the console contract system tests read
 * (as in kvm-unit-tests), then powers the machine off. abort() and failed
 * assertions end here too. The host program simply returns from main.
 */
#ifndef PARTITA_ARCH_EXIT_H
#define PARTITA_ARCH_EXIT_H

void arch_exit(int status) __attribute__((noreturn));

#endif
