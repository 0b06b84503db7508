#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Kconfig front end for the Makefile, on top of kconfiglib.

    kconfig.py defconfig FILE     load FILE, write .config and autoconf.h
    kconfig.py olddefconfig       refresh .config, write autoconf.h
    kconfig.py savedefconfig OUT  write the minimal config to OUT
    kconfig.py genconfig          write autoconf.h from .config

Like Zephyr's kconfig.py, every kconfiglib warning is an error, and a
defconfig value that does not take (an unmet 'depends on', a typo in a
symbol name) aborts the build instead of being silently dropped.
Paths come from the environment: KCONFIG_CONFIG (the .config) and
KCONFIG_AUTOHEADER (autoconf.h); srctree is the current directory.
"""
import os
import sys

import kconfiglib


def fail(msg):
    sys.exit("kconfig: error: " + msg)


def load_tree():
    kconf = kconfiglib.Kconfig("Kconfig", warn_to_stderr=False)
    check_warnings(kconf)
    # A misspelt symbol in a defconfig must not vanish silently.
    kconf.warn_assign_undef = True
    return kconf


def check_warnings(kconf):
    if kconf.warnings:
        for w in kconf.warnings:
            print("kconfig: " + w, file=sys.stderr)
        fail("aborting due to Kconfig warnings")


def check_assignments(kconf, path):
    """Every symbol a fragment sets must end up with that value."""
    bad = []
    for sym in kconf.unique_defined_syms:
        if sym.user_value is None:
            continue
        user = sym.user_value
        if sym.type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
            user = kconfiglib.TRI_TO_STR[user]
        if user != sym.str_value:
            bad.append("CONFIG_%s=%s in %s did not take (now %r); "
                       "its dependencies: %s"
                       % (sym.name, user, path, sym.str_value,
                          kconfiglib.expr_str(sym.direct_dep)))
    for msg in bad:
        print("kconfig: " + msg, file=sys.stderr)
    if bad:
        fail("aborting: %d assignment(s) did not take" % len(bad))


def write_outputs(kconf):
    config = os.environ["KCONFIG_CONFIG"]
    header = os.environ["KCONFIG_AUTOHEADER"]
    os.makedirs(os.path.dirname(header) or ".", exist_ok=True)
    kconf.write_config(config, save_old=False)
    kconf.write_autoconf(header)


def main(argv):
    if len(argv) < 2:
        fail(__doc__)
    cmd = argv[1]
    kconf = load_tree()
    config = os.environ.get("KCONFIG_CONFIG", ".config")
    if cmd == "defconfig":
        if len(argv) != 3 or not os.path.exists(argv[2]):
            fail("defconfig: no such file: %s" % (argv[2:] or ["(none)"])[0])
        kconf.load_config(argv[2])
        check_warnings(kconf)
        check_assignments(kconf, argv[2])
        write_outputs(kconf)
    elif cmd in ("olddefconfig", "genconfig"):
        if not os.path.exists(config):
            fail("%s does not exist; run 'make <name>_defconfig' first"
                 % config)
        kconf.load_config(config)
        check_warnings(kconf)
        write_outputs(kconf)
    elif cmd == "savedefconfig":
        if len(argv) != 3:
            fail("savedefconfig needs an output path")
        kconf.load_config(config)
        check_warnings(kconf)
        kconf.write_min_config(argv[2])
        print("kconfig: minimal configuration written to " + argv[2])
    else:
        fail("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
