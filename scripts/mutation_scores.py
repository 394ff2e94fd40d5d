"""Mutation score per module of models/ from mutmut's results in mutants/ (run after `make mutate`).

Score = (killed + timeout) / (checked mutants), "no tests" counting as surviving: a function no unit test reaches
is not guarded. Usage: python scripts/mutation_scores.py [--survivors MODULE]
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, -24, 24, 152, 255, 36, 37}   # mutmut's "killed", "timeout", "caught by type check"
SURVIVED, NO_TESTS = {0}, {5, 33}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    metas = sorted(Path("mutants/models").rglob("*.py.meta"))
    if not metas:
        print("Aucun résultat : lancez d'abord `make mutate`.", file=sys.stderr)
        return 2
    print(f"{'module':<36}{'tués':>7}{'survivants':>12}{'sans test':>11}{'non testés':>12}{'score':>8}")
    for meta in metas:
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        c = Counter("killed" if v in KILLED else "survived" if v in SURVIVED else "no tests" if v in NO_TESTS
                    else "not checked" if v is None else "other" for v in codes.values())
        checked = c["killed"] + c["survived"] + c["no tests"]
        if not checked:
            continue
        name = ".".join(meta.relative_to("mutants").with_name(meta.name.removesuffix(".py.meta")).parts)
        print(f"{name:<36}{c['killed']:>7}{c['survived']:>12}{c['no tests']:>11}{c['not checked']:>12}"
              f"{100 * c['killed'] / checked:>7.0f} %")
        if argv[:1] == ["--survivors"] and argv[1:] in ([], [name]):
            for key, v in codes.items():
                if v in SURVIVED | NO_TESTS:
                    print(f"    {'survivant' if v in SURVIVED else 'sans test'} : {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
