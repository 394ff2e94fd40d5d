import threading

import pytest
from sqlalchemy import create_engine

from models import network as net
from tests.unit import fake_geodata


@pytest.fixture
def eng(monkeypatch, tmp_path):
    com = fake_geodata.make_communes([100, 200, 300, 400, 500, 600])
    fake_geodata.install(monkeypatch, com, sites_codes=["99000", "99003"])
    yield create_engine(f"sqlite:///{tmp_path / 'net.db'}")
    fake_geodata.clear_caches()


def test_reference_network_has_version_zero(eng):
    n = net.current_network(eng)
    assert n.codes == ["99000", "99003"] and n.version == 0 and n.is_reference
    assert "référence" in n.label


def test_add_move_retire_are_recorded_with_author_and_time(eng):
    n = net.add_site("99005", "Alice", eng)
    new_id = n.sites.loc[n.sites.code_insee == "99005", "site_id"].item()
    n = net.move_site("S0", "99001", "Bob", eng)
    n = net.retire_site(new_id, "Chloé", eng)
    assert n.codes == ["99001", "99003"]
    assert n.version == 3 and "Chloé" in n.label
    h = net.history(eng)
    assert list(h.action) == ["add", "move", "retire"] and list(h.author) == ["Alice", "Bob", "Chloé"]
    assert h.created_at.notna().all()


def test_reset_goes_back_to_reference_and_keeps_history(eng):
    net.add_site("99005", "Alice", eng)
    n = net.reset_to_reference("Bob", eng)
    assert n.codes == ["99000", "99003"] and n.is_reference and n.version == 2
    assert len(net.history(eng)) == 2
    assert net.network_version(1, eng).codes == ["99000", "99003", "99005"]  # past versions replay


@pytest.mark.parametrize("call, message", [
    (lambda e: net.add_site("00000", "A", e), "inconnu"),
    (lambda e: net.add_site("99003", "A", e), "déjà un site"),
    (lambda e: net.retire_site("nope", "A", e), "n'est pas"),
    (lambda e: net.move_site("S0", "99003", "A", e), "déjà un site"),
    (lambda e: net.add_site("99004", "  ", e), "auteur"),
])
def test_invalid_edits_are_refused_in_french_and_nothing_is_written(eng, call, message):
    with pytest.raises(net.NetworkEditError, match=message):
        call(eng)
    assert net.history(eng).empty


def test_concurrent_adds_are_all_kept(eng):
    errors = []

    def add(code, who):
        try:
            net.add_site(code, who, eng)
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=add, args=(c, f"user{i}")) for i, c in enumerate(["99001", "99002", "99004"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(net.current_network(eng).codes) == ["99000", "99001", "99002", "99003", "99004"]


def test_double_retire_on_replay_is_skipped_not_fatal(eng):
    from datetime import datetime, timezone

    from sqlalchemy import insert

    net.ensure_tables(eng)
    with eng.begin() as conn:  # two users retired the same site at the same moment
        for who in ("A", "B"):
            conn.execute(insert(net.network_edits).values(action="retire", site_id="S0", author=who,
                                                          created_at=datetime.now(timezone.utc)))
    n = net.current_network(eng)
    assert n.codes == ["99003"] and n.skipped == [2]
