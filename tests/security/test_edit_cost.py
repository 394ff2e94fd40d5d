"""Network edits cost the same whatever the history (issue 19, part 2): one edit at 10 and at 5,000 edits of
history, ratio ≤ 2 (before: the whole history was replayed under the write lock, 0.85 s at 401 edits). The
incrementally kept network is checked against a full replay (independent oracle)."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from sqlalchemy import insert

from models import network as net
from tests.security.conftest import new_engine

ALTERNATING = ("08409", "51649")  # two communes without a reference site


def _fill(eng, n: int) -> None:
    """``n`` edits of history written straight into the table (add then retire a site, over and over)."""
    now = datetime.now(timezone.utc)
    rows = []
    for i in range(n // 2):
        sid = f"U-hist{i:05d}"
        rows.append(dict(action="add", site_id=sid, code_insee=ALTERNATING[i % 2], author="historique", created_at=now))
        rows.append(dict(action="retire", site_id=sid, code_insee=None, author="historique", created_at=now))
    with eng.begin() as conn:
        conn.execute(insert(net.network_edits), rows)


def _edit_seconds(eng, repeats: int = 5) -> float:
    net.current_network(eng)  # the pages read the network before anyone edits (warm state)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        n = net.add_site("55545", "mesure", eng)  # Verdun
        sid = n.sites.loc[n.sites.code_insee == "55545", "site_id"].iloc[0]
        net.retire_site(sid, "mesure", eng)
        times.append((time.perf_counter() - t0) / 2)
    return sorted(times)[len(times) // 2]


def measure(tmp_path, small: int = 10, large: int = 5000) -> dict:
    out = {}
    for n in (small, large):
        eng = new_engine(f"sqlite:///{tmp_path / f'hist{n}.db'}")
        _fill(eng, n)
        out[n] = _edit_seconds(eng)
    out["ratio"] = out[large] / out[small]
    return out


def test_edit_cost_is_flat_in_history(tmp_path):
    m = measure(tmp_path)
    print(f"\nune modification : {m[10] * 1000:.1f} ms à 10 modifications d'historique, {m[5000] * 1000:.1f} ms à "
          f"5 000 (rapport {m['ratio']:.2f})")
    assert m["ratio"] <= 2, m


def test_incremental_network_equals_a_full_replay(tmp_path):
    eng = new_engine(f"sqlite:///{tmp_path / 'oracle.db'}")
    _fill(eng, 40)
    net.current_network(eng)
    n = net.add_site("55545", "a", eng)
    sid = n.sites.loc[n.sites.code_insee == "55545", "site_id"].iloc[0]
    net.move_site(sid, "67437", "b", eng)
    other = new_engine(f"sqlite:///{tmp_path / 'oracle.db'}")  # another worker writes meanwhile
    net.add_site("52448", "c", other)
    ref_site = net.reference_network().site_id.iloc[0]
    net.retire_site(ref_site, "d", eng)
    live, replay = net.current_network(eng), net.network_version(None, eng)
    assert live.version == replay.version and live.skipped == replay.skipped
    assert live.sites.sort_values("site_id").reset_index(drop=True).equals(
        replay.sites.sort_values("site_id").reset_index(drop=True))
    assert list(live.edits["id"]) == list(replay.edits["id"]) and live.label == replay.label
    net.reset_to_reference("e", eng)
    assert net.current_network(eng).is_reference and net.current_network(other).is_reference
