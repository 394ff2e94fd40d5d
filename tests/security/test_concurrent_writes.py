"""Writes that never lie: 20 concurrent writers, on SQLite and PostgreSQL (real geodata, Sedan 08409).

Every write a user is told is done is in the database; every refused write is really absent.
"""
from __future__ import annotations

import threading

from models.stores import network as net
from models.stores.db import StoreUnavailable
from models.stores.weightings import WeightingStore
from tests.security.conftest import new_engine

N = 20


def _run_at_once(fn, n=N):
    """Call ``fn(i)`` in ``n`` threads released together; returns (results, errors) by index."""
    barrier, results, errors = threading.Barrier(n), {}, {}

    def run(i):
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - classified by the test
            errors[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results, errors


def test_20_users_adding_a_site_in_sedan_at_once_one_is_told_added_and_it_is_there(db_url):
    eng = new_engine(db_url)
    results, errors = _run_at_once(lambda i: net.add_site("08409", f"éditeur {i}", eng))
    assert all(isinstance(e, net.NetworkEditError) and "accueille déjà" in str(e) for e in errors.values()), errors
    current = net.current_network(eng)
    adds = net.history(eng)
    print(f"\n[{eng.dialect.name}] Sedan : {N} tentatives, {len(results)} confirmées, {len(errors)} refusées, "
          f"{int((current.sites.code_insee == '08409').sum())} site(s) à Sedan")
    assert len(results) == 1 and len(errors) == N - 1
    assert int((current.sites.code_insee == "08409").sum()) == 1
    assert len(adds) == 1 and current.skipped == []
    eng.dispose()


def test_20_users_adding_sites_in_20_towns_at_once_every_confirmed_site_is_present(db_url):
    import geodata

    eng = new_engine(db_url)
    ref = set(net.reference_network().code_insee)
    codes = [c for c in geodata.communes().sort_values("population", ascending=False).code_insee if c not in ref][:N]
    results, errors = _run_at_once(lambda i: net.add_site(codes[i], f"éditeur {i}", eng))
    present = set(net.current_network(eng).codes)
    confirmed = [codes[i] for i in results]
    print(f"\n[{eng.dialect.name}] {N} communes : {N} tentatives, {len(confirmed)} confirmées, "
          f"{len(set(confirmed) & present)} présentes, {len(errors)} refusées")
    assert errors == {}
    assert set(codes) <= present and len(net.history(eng)) == N
    eng.dispose()


def test_20_first_saves_of_weightings_by_20_fresh_workers_all_land(db_url):
    """Each thread has its own engine on an empty database: the tables are created once, without a race."""
    def save(i):
        return WeightingStore(new_engine(db_url)).save("Même nom", {"chomage_ze": 1 + i % 3}, author=f"t{i}").id

    results, errors = _run_at_once(save)
    saved = WeightingStore(new_engine(db_url)).list()
    print(f"\n[{db_url.split(':')[0]}] pondérations : {N} tentatives, {len(results)} confirmées, "
          f"{len(saved)} présentes, {len(errors)} erreurs")
    assert errors == {}
    assert sorted(w.version for w in saved) == list(range(1, N + 1))
    assert {w.id for w in saved} == set(results.values())


def test_a_refused_edit_is_never_written_even_under_contention(db_url):
    eng = new_engine(db_url)
    site = net.reference_network().site_id.iloc[0]
    results, errors = _run_at_once(lambda i: net.retire_site(site, f"éditeur {i}", eng), n=10)
    h = net.history(eng)
    assert len(results) == 1 and len(h) == 1, (results, errors)
    assert all(not isinstance(e, StoreUnavailable) for e in errors.values())
    eng.dispose()
