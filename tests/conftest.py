"""Shared test setup: tests never touch the developer's database (instance/atlas.db)."""
from __future__ import annotations

import os
import tempfile

_TMP = tempfile.mkdtemp(prefix="atlas-tests-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP}/test.db")
os.environ.setdefault("ATLAS_SYNC_CALLBACKS", "1")  # heavy callbacks run in the request, callable directly (components/jobs.py)


def _clear_model_caches() -> None:
    """Forget every cached result of models/ (lru caches, module caches, the territory and its memo)."""
    import sys

    for name, module in list(sys.modules.items()):
        if not (name == "models" or name.startswith("models.")):
            continue
        for attr, value in list(vars(module).items()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
            elif attr.isupper() and "CACHE" in attr and isinstance(value, dict):
                value.clear()


import pytest  # noqa: E402


def under_mutmut() -> bool:
    return bool(os.environ.get("MUTANT_UNDER_TEST"))


def per_test_under_mutmut(fixture_name, config) -> str:
    """Scope of a fixture that computes a model result once per module: per test under mutmut. mutmut runs for a
    mutant only the tests that called the mutated function in its stats run, and a module fixture's work is
    charged to the first test that asked for it; the other tests reading its result would never see the mutant."""
    return "function" if under_mutmut() else "module"


@pytest.fixture(autouse=True)
def _cold_model_caches_under_mutmut():
    """Under mutmut (``MUTANT_UNDER_TEST`` set), every test starts from cold model caches, for two reasons: each
    mutant's tests run in a process forked from the one whose clean run filled the caches (a result cached by the
    unmutated code hides the mutant: every mutant of a memoised function "survived"), and the stats run must see
    each test call the functions it depends on, not only the first test that filled a cache."""
    if under_mutmut():
        _clear_model_caches()
    yield
