"""Run every benchmark module (`bench_*.py` with a `main()`) in this package, in name order.

`python -m benchmarks` runs them all; `python -m benchmarks taskgraph api` runs those whose module
name contains one of the words. Each runs in a process of its own: several set up Django on a
throwaway database of their own.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import time
from pathlib import Path


def discover() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        name for _, name, _ in pkgutil.iter_modules([str(here)]) if name.startswith("bench_")
    )


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    names = [name for name in discover() if not words or any(word in name for word in words)]
    failed = []
    for name in names:
        print(f"== {name} ==", flush=True)
        started = time.perf_counter()
        if subprocess.run([sys.executable, "-m", f"{__package__}.{name}"]).returncode:
            failed.append(name)
            print(f"!! {name} failed", flush=True)
        print(f"({name} took {time.perf_counter() - started:.1f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
