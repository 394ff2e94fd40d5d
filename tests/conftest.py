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


@pytest.fixture(scope="session", autouse=True)
def _cold_model_caches_under_mutmut():
    """mutmut runs each mutant's tests in a process forked from the one whose clean run filled the models' caches:
    a result cached by the unmutated code would hide the mutant (every mutant of a memoised function "survived").
    Under mutmut (``MUTANT_UNDER_TEST`` set) the tests start from cold caches."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        _clear_model_caches()
    yield
