#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The architecture test: every #include of every source and header points
down the layers of ../shared/DESIGN.md (or within its own layer), and
never across a forbidden edge.

    tests/build/layers.py [--all] [ROOT]
    tests/build/layers.py --selftest     (the checker on trees of its own)

Prints one PASS:/FAIL: line per rule (make check's protocol) and, under a
FAIL, each offending include as FILE:LINE: what it includes and why it may
not. Exit status 0 unless something failed.

A file's layer comes from its path (the longest prefix in LAYERS). A
header under include/partita/ belongs to the module that implements it:
include/partita/ mirrors the source tree (HEADERS says which folder is
which module; a header at the top is the ground's, lib/). A header in a
folder the table does not know is itself a failure, so the table cannot
fall behind the tree.

KNOWN lists edges tolerated for a while, each with the issue that removes
it (issue 14 started with 34 and removed them all: the list is empty). A
listed edge is reported but tolerated; one that no longer exists fails,
so the list only ever shrinks, and --all ignores it.
"""
import os
import re
import sys

# Bottom up: a file may include its own layer and any layer below it.
LAYERS = [
    ("uapi", ["include/uapi/"]),
    # The ground: shared helpers, the heap with its fail-the-Nth hook.
    ("lib", ["lib/", "mm/heap.c", "mm/heap-arena.c", "mm/alloc-fault.c"]),
    ("mm", ["mm/"]),
    # Hook headers arch-neutral code includes; the arch implements them.
    ("arch-hooks", ["include/partita/arch/"]),
    # Hardware models of the simulated board (what a driver programs).
    ("hw-models", ["arch/host/sim/"]),
    ("sys", ["sys/"]),
    ("drivers/bus", ["drivers/bus/"]),
    # The IOMMU core, its page-table formats and hardware drivers, which
    # know nothing of their VFIO clients ...
    ("drivers/iommu/core", ["drivers/iommu/core/", "drivers/iommu/hw/"]),
    # ... and the services built on them.
    ("drivers/iommu/services", ["drivers/iommu/"]),
    ("drivers/vfio", ["drivers/vfio/"]),
    ("drivers/dma-test", ["drivers/dma-test/"]),
    ("virt", ["virt/"]),
    ("core", ["core/"]),
    ("arch", ["arch/"]),
]
RANK = {name: i for i, (name, _) in enumerate(LAYERS)}

# Edges the order alone would allow but the design forbids.
FORBIDDEN = [
    ("drivers/vfio", "drivers/iommu/core",
     "the VFIO side reaches the services only through sys/ and the UAPI"),
    ("drivers/vfio", "drivers/iommu/services",
     "the VFIO side reaches the services only through sys/ and the UAPI"),
    ("drivers/vfio", "hw-models", "the VFIO side knows no hardware model"),
    ("core", "hw-models", "the manager does not depend on the simulated board"),
    ("virt", "hw-models", "guests do not depend on the simulated board"),
]

# include/partita/<header> -> the directory of the module implementing it.
# The tree mirrors the sources (issue 14): a folder of include/partita/
# is the module's folder (drivers/ left out: vfio/ is drivers/vfio/); the
# headers at the top are the ground's (lib/, and the heap in mm/heap.c).
# Within iommu/, the core and the hardware drivers are told apart here.
HEADERS = {
    "heap.h": "mm/heap.c", "heap-arena.h": "mm/heap.c",
    "iommu/iommu.h": "drivers/iommu/core/",
    "iommu/smmu-v3.h": "drivers/iommu/hw/",
    "iommu/zpci.h": "drivers/iommu/hw/",
    "iommu/iommufd.h": "drivers/iommu/iommufd/",
    "iommu/vfio-type1.h": "drivers/iommu/type1/",
    "iommu/vfio/": "drivers/iommu/vfio/",
    "arch/bring-up.h": "arch/common/", "arch/cpu-bus.h": "arch/common/",
    "arch/": "include/partita/arch/", "core/": "core/", "mm/": "mm/",
    "sys/": "sys/", "bus/": "drivers/bus/", "vfio/": "drivers/vfio/",
    "dma-test/": "drivers/dma-test/", "sim/": "arch/host/sim/",
    "virt/": "virt/",
}


# Edges tolerated for a while: (file, included header) -> the issue and
# fault that removes it. Empty since issue 14.
KNOWN = {}


def layer_of(path):
    best = None
    for name, prefixes in LAYERS:
        for p in prefixes:
            if path.startswith(p) and (best is None or len(p) > len(best[1])):
                best = (name, p)
    return best[0] if best else None


def owner_of_header(path):
    """The path whose layer a header has, or None when unknown."""
    rel = path[len("include/partita/"):]
    if rel in HEADERS:
        return HEADERS[rel]
    for key in sorted(HEADERS, key=len, reverse=True):
        if key.endswith("/") and rel.startswith(key):
            return HEADERS[key] + rel[len(key):]
    # A header at the top: the ground's (lib/).
    return "lib/" if "/" not in rel else None


def layer_of_file(path):
    if path.startswith("include/partita/"):
        owner = owner_of_header(path)
        return layer_of(owner) if owner else None
    return layer_of(path)


INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCES = ("arch", "core", "drivers", "include", "lib", "mm", "sys", "virt")


def sources(root):
    for top in SOURCES:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if f.endswith((".c", ".h", ".S")):
                    yield os.path.relpath(os.path.join(d, f), root)


def resolve(root, src, kind, name):
    """The included file's path in the tree, or None (a C library header)."""
    if kind == '"':
        p = os.path.normpath(os.path.join(os.path.dirname(src), name))
        if os.path.exists(os.path.join(root, p)):
            return p
    for inc in ("include", "lib/libc/include"):
        p = os.path.join(inc, name)
        if os.path.exists(os.path.join(root, p)):
            return p
    return None


def main(argv):
    use_known = "--all" not in argv
    args = [a for a in argv if not a.startswith("--")]
    root = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "..")
    failed = 0
    up, across, unowned, tolerated = [], [], [], []
    seen = set()

    for src in sources(root):
        src_layer = layer_of_file(src)
        if src_layer is None:
            unowned.append(f"{src}: no layer (add it to LAYERS or HEADERS)")
            continue
        with open(os.path.join(root, src), errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = resolve(root, src, m.group(1), m.group(2))
                if target is None:
                    continue
                tgt_layer = layer_of_file(target)
                where = f"{src}:{lineno}: includes {target}"
                if tgt_layer is None:
                    unowned.append(f"{where}, which has no owner in HEADERS")
                    continue
                bad = None
                if RANK[tgt_layer] > RANK[src_layer]:
                    bad = (up, f"{where} ({src_layer} -> {tgt_layer}: up)")
                for a, b, why in FORBIDDEN:
                    if src_layer == a and tgt_layer == b:
                        bad = (across, f"{where} ({a} -> {b}: {why})")
                if not bad:
                    continue
                if use_known and (src, target) in KNOWN:
                    seen.add((src, target))
                    tolerated.append(f"{where} [{KNOWN[(src, target)]}]")
                    continue
                bad[0].append(bad[1])

    stale = [f"{s}: no longer includes {t}: drop it from KNOWN"
             for (s, t) in KNOWN if use_known and (s, t) not in seen]
    for label, items in [
            ("every file and header has a layer", unowned),
            ("no #include points up a layer", up),
            ("no #include crosses a forbidden edge", across),
            ("the list of known violations is exact", stale)]:
        if items:
            failed += 1
            print(f"FAIL: layers: {label}")
            for i in items:
                print(f"    | {i}")
        else:
            print(f"PASS: layers: {label}")
    if tolerated:
        print(f"    ({len(tolerated)} known violations tolerated; "
              "--all shows them as failures)")
    return 1 if failed else 0


def selftest():
    """The checker on small trees of its own: it must catch each kind of
    fault, and pass a clean tree."""
    import contextlib
    import io
    import tempfile

    def tree(files):
        d = tempfile.mkdtemp()
        for path, text in files.items():
            os.makedirs(os.path.join(d, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(d, path), "w") as fh:
                fh.write(text)
        return d

    def run(files):
        import shutil
        out, root = io.StringIO(), tree(files)
        with contextlib.redirect_stdout(out):
            rc = main(["--all", root])
        shutil.rmtree(root)
        return rc, out.getvalue()

    base = {"include/partita/log.h": "", "include/partita/core/manager.h": "",
            "lib/log.c": "#include <partita/log.h>\n"}
    cases = [
        ("a clean tree passes", {}, None),
        ("an upward include fails", {"lib/x.c": "#include <partita/core/manager.h>\n"},
         "lib/x.c:1: includes include/partita/core/manager.h (lib -> core: up)"),
        ("a forbidden edge fails", {"include/partita/sim/board.h": "",
                                   "core/x.c": "#include <partita/sim/board.h>\n"},
         "core -> hw-models"),
        ("a header without an owner fails",
         {"include/partita/nowhere/new.h": "",
          "mm/x.c": "#include <partita/nowhere/new.h>\n"},
         "no owner in HEADERS"),
        ("a relative include is followed", {"drivers/vfio/a.h": "",
                                           "drivers/bus/x.c": '#include "../vfio/a.h"\n'},
         "drivers/bus -> drivers/vfio: up"),
    ]
    failed = 0
    for label, files, want in cases:
        rc, out = run({**base, **files})
        ok = rc == 0 if want is None else rc != 0 and want in out
        print(f"{'PASS' if ok else 'FAIL'}: layers: checker: {label}")
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    if "--selftest" in sys.argv[1:]:
        sys.exit(selftest())
    sys.exit(main(sys.argv[1:]))
