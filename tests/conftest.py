"""Shared test setup: tests never touch the developer's database (instance/atlas.db)."""
from __future__ import annotations

import os
import tempfile

_TMP = tempfile.mkdtemp(prefix="atlas-tests-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP}/test.db")
os.environ.setdefault("ATLAS_SYNC_CALLBACKS", "1")  # heavy callbacks run in the request, callable directly (components/jobs.py)
