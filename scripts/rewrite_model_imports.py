"""Rewrite references to the old flat ``models/`` modules to the layered layout (issue 17).

Idempotent: run it as often as you like (after merging a branch written against the old paths, for example):

    .venv/bin/python scripts/rewrite_model_imports.py          # rewrites the tracked files in place
    .venv/bin/python scripts/rewrite_model_imports.py --check  # lists what it would change, exit 1 if anything

It rewrites, in every tracked text file (Python, Markdown, setup.cfg, .importlinter, Makefile, .ci/...):
- ``import models.x``, ``from models.x import ...``, ``from models.x.y import ...``
- ``from models import x, y as z`` (split in several statements when the names now live in different packages)
- dotted references anywhere (``"models.x"`` in strings, monkeypatch targets, ``:func:`models.x.f``` in docs)
- file paths ``models/x.py``
but never a command ``-m models.x`` / ``"-m", "models.x"``: the documented commands keep their names (the
command-line entry points live in ``models/cli/``, reachable as ``models.x`` through ``models/__init__.py``).
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# old module → new module (one line per old flat file of models/)
MODULES = {
    # text: French formatting, input parsing, display names, the French argument parser
    "models.fr_format": "models.text.fr_format",
    "models.inputs": "models.text.inputs",
    "models.display_names": "models.text.display_names",
    "models.glossary": "models.text.glossary",
    "models.commune_search": "models.text.commune_search",
    "models.cli": "models.text.arguments",
    # domain: takes a Territory, plain data in and out
    "models.territory": "models.domain.territory",
    "models.travel": "models.domain.travel",
    "models.travel_fit": "models.domain.travel_fit",
    "models.catchment": "models.domain.catchment",
    "models.town_facts": "models.domain.town_facts",
    "models.territory_reference": "models.domain.territory_reference",
    "models.coverage": "models.domain.coverage",
    "models.demand": "models.domain.demand",
    "models.simulator": "models.domain.simulator",
    "models.scoring": "models.domain.scoring",
    "models.concept_fit": "models.domain.concept_fit",
    "models.partners": "models.domain.partners",
    "models.town_profile": "models.domain.town_profile",
    "models.transit": "models.domain.transit",
    "models.map_variables": "models.domain.map_variables",
    "models.planner": "models.domain.planning",
    "models.planner_learners": "models.domain.planning.learners",
    # stores: the database and what is kept in it
    "models.db": "models.stores.db",
    "models.versioned_store": "models.stores.versioned_store",
    "models.scenarios": "models.stores.scenarios",
    "models.weightings": "models.stores.weightings",
    "models.users": "models.stores.users",
    "models.network": "models.stores.network",
    # loaders: the one place that reads geodata/ into a Territory, and the data checks
    "models.data_health": "models.loaders.data_health",
    # cli: the `python -m models.x` entry points
    "models.demand_cli": "models.cli.demand",
    "models.travel_cli": "models.cli.travel",
    "models.trash": "models.cli.trash",
}

# old file path → new file path (docs, setup.cfg, comments)
PATHS = {old.replace(".", "/") + ".py": new.replace(".", "/") + ("/" if new.endswith("planning") else ".py")
         for old, new in MODULES.items()}

# new sub-packages of models.cli: ``models.cli.demand`` is new, not the old ``models.cli`` followed by a name
CLI_MODULES = ("concept_fit", "coverage", "demand", "planner", "scoring", "simulator", "town_profile", "transit",
               "trash", "travel", "users")

_OLD = sorted(MODULES, key=len, reverse=True)
_NOT_A_COMMAND = r"(?<!-m )(?<!\"-m\", \")(?<!'-m', ')"
DOTTED = re.compile(_NOT_A_COMMAND + r"(?<![\w.])(" + "|".join(re.escape(m) for m in _OLD) + r")(?![\w])"
                    + r"(?!\.(?:" + "|".join(CLI_MODULES) + r")\b)(?! import (?:" + "|".join(CLI_MODULES) + r")\b)")
_NAME = r"\w+(?: as \w+)?"
FROM_MODELS = re.compile(r"(?P<indent>^[ \t]*)?from models import (?P<names>" + _NAME + r"(?:, *" + _NAME + r")*)"
                         r"(?![\w.])", re.MULTILINE)
PATH = re.compile(r"(?<![\w/])(" + "|".join(re.escape(p) for p in sorted(PATHS, key=len, reverse=True)) + r")")


def _from_models(match: re.Match) -> str:
    groups: dict[str, list[str]] = {}
    for item in match["names"].split(","):
        name, _, alias = item.strip().partition(" as ")
        new = MODULES.get(f"models.{name}")
        if new is None:
            package, leaf = "models", name
        else:
            package, _, leaf = new.rpartition(".")
        local = alias or name
        groups.setdefault(package, []).append(leaf if leaf == local else f"{leaf} as {local}")
    indent = match["indent"]
    sep = "\n" + indent if indent is not None else "; "
    return (indent or "") + sep.join(f"from {p} import {', '.join(n)}" for p, n in groups.items())


def rewrite(text: str) -> str:
    text = DOTTED.sub(lambda m: MODULES[m[1]], text)
    text = FROM_MODELS.sub(_from_models, text)
    return PATH.sub(lambda m: PATHS[m[1]], text)


def tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    keep = (".py", ".md", ".cfg", ".toml", ".txt", ".ini", ".sh", ".yml", ".yaml", ".importlinter")
    files = []
    for name in out.splitlines():
        path = ROOT / name
        if name in ("scripts/rewrite_model_imports.py", "models/__init__.py"):   # the map itself; the commands
            continue
        if (name.endswith(keep) or path.name in ("Makefile", "run")) and path.is_file():
            files.append(path)
    return files


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    changed = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite(text)
        if new != text:
            changed.append(path.relative_to(ROOT))
            if "--check" not in argv:
                path.write_text(new, encoding="utf-8")
    for name in changed:
        print(name)
    return 1 if changed and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main())
