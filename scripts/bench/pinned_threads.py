"""Pins a benchmark reference's thread pools to the thread count it claims, and proves it.

BLAS and OpenMP runtimes (OpenBLAS, MKL, BLIS, libgomp) size their thread pools from the
environment once, when numpy / scipy / scikit-learn / torch first load them; torch.set_num_threads
does not reach Debian's OpenBLAS (it keeps one thread per core). So pin() must run BEFORE any of
those modules is imported (it refuses to run after), and a reference starts like this:

    import sys; sys.path.insert(0, "<repo>/scripts/bench")
    import pinned_threads
    pinned_threads.pin(threads)      # before numpy / scipy / sklearn / torch
    import numpy as np
    ...                              # the timed work
    pinned_threads.print_report()    # the last line of stdout

print_report() reads the pools actually loaded (threadpoolctl) and torch.get_num_threads(), and
exits non-zero with a clear message when any of them has more threads than claimed; otherwise it
prints one JSON line {"pinnedThreads": {...}} that the TypeScript side
(scripts/bench/pinned-python.ts) takes off the output and prints next to the reference's timings.

Python that cannot call pin() itself (a `-c` snippet, another folder's script) runs under the
same rules through this file:

    /usr/bin/python3 scripts/bench/pinned_threads.py THREADS SCRIPT [ARGS...]
    /usr/bin/python3 scripts/bench/pinned_threads.py THREADS -c CODE [ARGS...]
"""
import json
import os
import platform
import runpy
import sys

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
# Modules that load a BLAS or OpenMP runtime when imported; their versions go into the report.
NATIVE_MODULES = ("numpy", "scipy", "sklearn", "torch")

_claimed = None


def _fail(message):
    sys.exit(f"pinned_threads: {message}")


def pin(threads):
    """Sets every thread-count variable to `threads`; must run before NATIVE_MODULES load."""
    global _claimed
    if not isinstance(threads, int) or threads < 1:
        _fail(f"the thread count must be an integer >= 1, got {threads!r}")
    loaded = [name for name in NATIVE_MODULES if name in sys.modules]
    if loaded:
        _fail(f"pin() must run before {', '.join(loaded)} is imported: its thread pools are already sized")
    for variable in THREAD_VARIABLES:
        os.environ[variable] = str(threads)
    _claimed = threads


def report():
    """The claimed count, the versions, threadpoolctl's pools and torch's intra-op threads."""
    if _claimed is None:
        _fail("report() before pin(): no thread count was claimed")
    from threadpoolctl import threadpool_info

    pools = [{"api": p["internal_api"], "version": p.get("version"), "architecture": p.get("architecture"),
              "threads": p["num_threads"]} for p in threadpool_info()]
    torch = sys.modules.get("torch")
    return {
        "claimed": _claimed,
        "python": platform.python_version(),
        "versions": {name: sys.modules[name].__version__ for name in NATIVE_MODULES if name in sys.modules},
        "pools": pools,
        "torchThreads": torch.get_num_threads() if torch else None,
        "malloc": {k: v for k, v in sorted(os.environ.items()) if k.startswith("MALLOC_")},
    }


def print_report():
    """Prints report() as the last stdout line, or exits non-zero if a pool exceeds the claim."""
    r = report()
    counts = [(p["api"], p["threads"]) for p in r["pools"]]
    if r["torchThreads"] is not None:
        counts.append(("torch.get_num_threads()", r["torchThreads"]))
    over = [f"{name} has {n}" for name, n in counts if n > r["claimed"]]
    if over:
        _fail(f"claimed {r['claimed']} thread(s) but {', '.join(over)}: the timings are not comparable")
    print(json.dumps({"pinnedThreads": r}), flush=True)


def main(argv):
    if len(argv) < 2 or not argv[0].isdigit() or (argv[1] == "-c" and len(argv) < 3):
        _fail("usage: pinned_threads.py THREADS (SCRIPT | -c CODE) [ARGS...]")
    pin(int(argv[0]))
    if argv[1] == "-c":
        sys.argv = ["-c", *argv[3:]]
        exec(compile(argv[2], "<string>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = argv[1:]
        sys.path[0] = os.path.dirname(os.path.abspath(argv[1]))  # as `python3 SCRIPT` would
        runpy.run_path(argv[1], run_name="__main__")
    print_report()


if __name__ == "__main__":
    main(sys.argv[1:])
