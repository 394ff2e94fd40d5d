"""Print every benchmark figure: ``python -m benchmarks [name-filter]``."""
from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback

import benchmarks


def main(argv: list[str]) -> int:
    wanted = argv[0] if argv else ""
    failed = False
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_") or wanted not in info.name:
            continue
        try:
            measures = importlib.import_module(f"benchmarks.{info.name}").run()
        except Exception:  # a broken benchmark is reported, the others still run
            traceback.print_exc()
            failed = True
            continue
        for m in measures:
            budget = "" if m.budget is None else f"(budget ≤ {m.budget:g} {m.unit})"
            flag = {True: "OK  ", False: "OVER", None: "    "}[m.ok]
            print(f"{flag} {m.issue:<14} {m.name:<62} {m.value:>10.2f} {m.unit:<3} {budget}")
            failed |= m.ok is False
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
