"""Issue #19 (part 2): one network edit costs the same at 10 and at 5,000 edits of history (ratio ≤ 2).

The history is written straight into a fresh SQLite file (add then retire a site, over and over); an edit is an
addition then a retirement of Verdun, median of 5, after the pages have read the network once (warm state).
"""
from __future__ import annotations

import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from benchmarks import Measure

ISSUE = "#19 écritures"
ALTERNATING = ("08409", "51649")  # two communes without a reference site


def fill(eng, n: int) -> None:
    """``n`` edits of history written straight into the table."""
    from sqlalchemy import insert

    from models.stores import network as net

    now = datetime.now(timezone.utc)
    rows = []
    for i in range(n // 2):
        sid = f"U-hist{i:05d}"
        rows.append(dict(action="add", site_id=sid, code_insee=ALTERNATING[i % 2], author="historique", created_at=now))
        rows.append(dict(action="retire", site_id=sid, code_insee=None, author="historique", created_at=now))
    with eng.begin() as conn:
        conn.execute(insert(net.network_edits), rows)


def edit_seconds(eng, repeats: int = 5) -> float:
    from models.stores import network as net

    net.current_network(eng)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        n = net.add_site("55545", "mesure", eng)
        sid = n.sites.loc[n.sites.code_insee == "55545", "site_id"].iloc[0]
        net.retire_site(sid, "mesure", eng)
        times.append((time.perf_counter() - t0) / 2)
    return sorted(times)[len(times) // 2]


def run() -> list[Measure]:
    from models.stores import db

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (10, 5000):
            eng = db.engine.__wrapped__(f"sqlite:///{Path(tmp) / f'hist{n}.db'}")
            fill(eng, n)
            out[n] = edit_seconds(eng)
            eng.dispose()
    return [Measure(ISSUE, "une modification du réseau, 10 modifications d'historique", out[10] * 1000, "ms"),
            Measure(ISSUE, "une modification du réseau, 5 000 modifications d'historique", out[5000] * 1000, "ms"),
            Measure(ISSUE, "rapport 5 000 / 10 (coût plat dans l'historique)", out[5000] / out[10], "x", 2)]
