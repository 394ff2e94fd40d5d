"""Network edits cost the same whatever the history (issue 19, part 2): one edit at 10 and at 5,000 edits of
history (before: the whole history was replayed under the write lock, 0.85 s at 401 edits): each edit reads only the
new rows (timing: ``python -m benchmarks network_edits``, ratio ≤ 2). The incrementally kept network is checked
against a full replay (independent oracle)."""
from __future__ import annotations

from benchmarks.bench_network_edits import fill as _fill
from models.stores import network as net
from tests.security.conftest import new_engine


def test_an_edit_reads_only_the_new_edits_whatever_the_history(tmp_path, monkeypatch):
    """Structural, not timed (the timing is ``python -m benchmarks network_edits``): after the pages have read a
    network with 5,000 edits of history, each edit feeds the replay its own row only — a full replay would
    feed all 5,000 again."""
    eng = new_engine(f"sqlite:///{tmp_path / 'hist.db'}")
    _fill(eng, 5000)
    net.current_network(eng)  # warm state: the history is read once
    fed = []
    original = net._Replay.feed
    monkeypatch.setattr(net._Replay, "feed", lambda self, rows, names: (fed.append(len(rows)), original(self, rows, names)))
    for _ in range(3):
        n = net.add_site("55545", "mesure", eng)  # Verdun
        sid = n.sites.loc[n.sites.code_insee == "55545", "site_id"].iloc[0]
        net.retire_site(sid, "mesure", eng)
    assert sum(fed) == 6 and max(fed) == 1, fed  # six edits, one row each
    assert (net.current_network(eng).version == net.network_version(None, eng).version)


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
