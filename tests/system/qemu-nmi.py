#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""qemu-nmi.py MARKER -- QEMU COMMAND...

Run QEMU with a monitor socket of its own, and once the console prints a
line containing MARKER send the monitor's `nmi` (on s390x: a restart
interruption; nothing the firmware expects). Prints the console; exits
with 0 once QEMU has ended (within 30 s), 1 if the marker never came.
The caller judges what the firmware reported."""
import os
import socket
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    marker = sys.argv[1].encode()
    with tempfile.TemporaryDirectory() as tmp:
        sock = os.path.join(tmp, "monitor")
        qemu = subprocess.Popen(
            sys.argv[3:] + ["-monitor", "unix:%s,server=on,wait=off" % sock],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        sent = False
        mon = None
        deadline = time.time() + 30
        for line in qemu.stdout:
            sys.stdout.write(line.decode(errors="replace"))
            if not sent and marker in line:
                # Kept open until QEMU ends: HMP drops a command whose
                # connection closes before it is read.
                mon = socket.socket(socket.AF_UNIX)
                mon.connect(sock)
                mon.sendall(b"nmi\n")
                sent = True
            if time.time() > deadline:
                qemu.kill()
                break
        qemu.wait()
        if mon:
            mon.close()
    sys.exit(0 if sent else 1)


if __name__ == "__main__":
    main()
