import threading

import pytest
from sqlalchemy import create_engine

from models.stores import network as net

REF = list(dict.fromkeys(net.reference_network().code_insee))  # the 18 communes of the 21 reference sites
SEDAN, SARREGUEMINES, SAINT_DIZIER, TROYES, FORBACH_SITE = "08409", "57631", "52448", "10387", "GE-03"


@pytest.fixture
def eng(tmp_path):
    return create_engine(f"sqlite:///{tmp_path / 'net.db'}")


def test_reference_network_is_the_official_list_plus_the_press_sites(eng):
    n = net.current_network(eng)
    assert n.codes == REF and n.version == 0 and n.is_reference
    assert "implantations MESR, état 2017 : 19 sites ; + 2 sites attestés par la presse" in n.label
    assert (n.sites.source == "mesr").sum() == 19 and n.sites[["lon", "lat"]].notna().all().all()


def test_an_added_site_is_placed_at_the_town_hall_and_said_so(eng):
    n = net.add_site(SEDAN, "Alice", eng)
    row = n.sites[n.sites.code_insee == SEDAN].iloc[0]
    hall = net.Territory.from_geodata().row(SEDAN)
    assert (row.lon, row.lat) == (hall.lon, hall.lat) and row.precision == "commune (mairie)"


def test_add_move_retire_are_recorded_with_author_and_time(eng):
    n = net.add_site(SEDAN, "Alice", eng)
    new_id = n.sites.loc[n.sites.code_insee == SEDAN, "site_id"].item()
    n = net.move_site(FORBACH_SITE, SARREGUEMINES, "Bob", eng)
    n = net.retire_site(new_id, "Chloé", eng)
    assert n.codes == [SARREGUEMINES if c == "57227" else c for c in REF]
    assert n.version == 3 and "Chloé" in n.label
    h = net.history(eng)
    assert list(h.action) == ["add", "move", "retire"] and list(h.author) == ["Alice", "Bob", "Chloé"]
    assert h.created_at.notna().all()


def test_reset_goes_back_to_reference_and_keeps_history(eng):
    net.add_site(SEDAN, "Alice", eng)
    n = net.reset_to_reference("Bob", eng)
    assert n.codes == REF and n.is_reference and n.version == 2
    assert len(net.history(eng)) == 2
    assert net.network_version(1, eng).codes == REF + [SEDAN]  # past versions replay


@pytest.mark.parametrize("call, message", [
    (lambda e: net.add_site("00000", "A", e), "inconnu"),
    (lambda e: net.add_site(TROYES, "A", e), "déjà un site"),
    (lambda e: net.retire_site("nope", "A", e), "n'est pas"),
    (lambda e: net.move_site(FORBACH_SITE, TROYES, "A", e), "déjà un site"),
    (lambda e: net.add_site(SEDAN, "  ", e), "auteur"),
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

    threads = [threading.Thread(target=add, args=(c, f"user{i}")) for i, c in enumerate([SEDAN, SARREGUEMINES, SAINT_DIZIER])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(net.current_network(eng).codes) == sorted(REF + [SEDAN, SARREGUEMINES, SAINT_DIZIER])


def test_double_retire_on_replay_is_skipped_not_fatal(eng):
    from datetime import datetime, timezone

    from sqlalchemy import insert

    net.ensure_tables(eng)
    with eng.begin() as conn:  # two users retired the same site at the same moment
        for who in ("A", "B"):
            conn.execute(insert(net.network_edits).values(action="retire", site_id=FORBACH_SITE, author=who,
                                                          created_at=datetime.now(timezone.utc)))
    n = net.current_network(eng)
    assert n.codes == [c for c in REF if c != "57227"] and n.skipped == [2]


def test_a_past_version_says_who_edited_it_last_when_and_replays_only_the_edits_since_the_last_reset(eng):
    """Kills: the edits before a reset replayed again, the last author/time or the skipped edits dropped."""
    from datetime import datetime, timezone

    from sqlalchemy import insert

    net.add_site(SEDAN, "Alice", eng)
    net.reset_to_reference("Bob", eng)
    net.add_site(SARREGUEMINES, "Chloé", eng)
    # an edit that can no longer apply on replay (a site retired twice by two users at once), written as is
    with eng.begin() as conn:
        conn.execute(insert(net.network_edits).values(action="retire", site_id="U-gone", code_insee=None,
                                                      author="Denis", created_at=datetime.now(timezone.utc)))
    h = net.history(eng)
    assert list(h.author) == ["Alice", "Bob", "Chloé", "Denis"]
    v3 = net.network_version(3, eng)
    assert v3.codes == REF + [SARREGUEMINES]  # Sedan was added before the reset: not replayed
    assert list(v3.edits.author) == ["Chloé"] and v3.version == 3 and v3.skipped == []
    assert v3.last_author == "Chloé" and v3.last_time == h.created_at.iloc[2]
    v4 = net.network_version(None, eng)
    assert v4.codes == REF + [SARREGUEMINES] and v4.version == 4 and v4.skipped == [int(h.id.iloc[3])]
    assert v4.last_author == "Denis" and v4.last_time == h.created_at.iloc[3]
    v0 = net.network_version(0, eng)
    assert v0.codes == REF and v0.version == 0 and v0.last_author is None and v0.last_time is None


def test_an_added_site_says_what_it_is_and_can_be_moved_alone(eng):
    """Kills: the added row's fields renamed, the sites' index duplicated by the add (a later move of the added
    site then moved a reference site too), the moved site's precision column renamed."""
    n = net.add_site(SEDAN, "Alice", eng)
    assert list(n.sites.index) == list(range(len(n.sites)))
    row = n.sites[n.sites.code_insee == SEDAN].iloc[0]
    assert (row.type, row.fiabilite, row.origine, row.precision, row.source) == (
        "site ajouté", "scénario", "ajout", "commune (mairie)", "ajout")
    assert row.nom == "Nouveau site — Sedan" and row.commune == "Sedan"
    assert row.source_label == "ajouté dans l'éditeur du réseau"
    before = n.sites[n.sites.site_id != row.site_id].reset_index(drop=True)
    moved = net.move_site(row.site_id, SAINT_DIZIER, "Bob", eng).sites
    assert moved[moved.site_id != row.site_id].reset_index(drop=True).equals(before)  # nobody else moved
    new = moved[moved.site_id == row.site_id].iloc[0]
    assert (new.code_insee, new.origine, new.precision) == (SAINT_DIZIER, "déplacé", "commune (mairie)")
    assert "PRECISION" not in moved.columns and set(moved.columns) == set(n.sites.columns)


def test_an_author_of_80_characters_is_accepted_81_refused_and_a_reset_names_no_site(eng):
    net.add_site(SEDAN, "A" * 80, eng)
    with pytest.raises(net.NetworkEditError, match="80 caractères"):
        net.add_site(SARREGUEMINES, "B" * 81, eng)
    net.reset_to_reference("Chloé", eng)
    h = net.history(eng)
    assert list(h.author) == ["A" * 80, "Chloé"]
    assert h.site_id.iloc[1] is None or h.site_id.isna().iloc[1]  # a reset is about no site


def test_a_page_built_inside_one_network_read_sees_one_network(eng, monkeypatch):
    # a town page asks for the network about fifteen times: inside one_network_read it is read once, and an edit
    # saved meanwhile by another editor shows on the next page, not halfway through this one
    monkeypatch.setattr(net.db, "engine", lambda url=None: eng)   # the app's database, a fresh one here
    before = net.current_network()
    with net.one_network_read() as held:
        assert held.codes == before.codes
        after = net.add_site(SEDAN, "Alice")                     # another editor's save, committed
        assert SEDAN in after.codes
        assert net.current_network() is held and SEDAN not in net.current_network().codes
        assert SEDAN in net.current_network(eng).codes          # an explicit database is always read
    assert SEDAN in net.current_network().codes


def test_a_database_that_is_down_gives_the_reference_network_and_says_so(tmp_path):
    down = create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'net.db'}")   # cannot be opened
    n = net.current_network(down)
    assert n.unavailable and n.codes == REF and n.version == 0
    assert n.label == ("réseau de référence — historique des modifications indisponible (base de données hors "
                       "service) : les modifications enregistrées reviendront quand la base répondra")


def test_the_full_replay_fails_loudly_on_a_database_that_is_down(tmp_path):
    # network_version replays every edit from scratch: the oracle the incremental current network is checked
    # against (tests/security/test_edit_cost.py); an unreadable history must not pass for "no edit"
    from sqlalchemy.exc import DBAPIError

    down = create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'net.db'}")
    with pytest.raises(DBAPIError):
        net.network_version(None, down)
    assert net.history(down).empty                       # the pages' read, on the other hand, stays quiet


def test_the_history_names_each_action_in_french_with_the_same_columns_when_the_database_is_down(eng, tmp_path):
    net.add_site(SEDAN, "Alice", eng)
    net.move_site(FORBACH_SITE, SARREGUEMINES, "Bob", eng)
    net.reset_to_reference("Chloé", eng)
    h = net.history(eng)
    assert list(h.action_fr) == ["ajout", "déplacement", "retour à la référence"]
    columns = ["id", "action", "site_id", "code_insee", "author", "created_at", "comment", "action_fr"]
    assert list(h.columns) == columns
    down = net.history(create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'net.db'}"))
    assert down.empty and list(down.columns) == columns


def test_an_edit_is_refused_with_its_exact_french_reason_and_keeps_its_comment_to_300_characters(eng, tmp_path):
    for author, message in (("  ", "Indiquez votre nom (auteur de la modification)."),
                            ("a" * 81, "Nom d'auteur trop long (80 caractères au plus).")):
        with pytest.raises(net.NetworkEditError) as err:
            net.add_site(SEDAN, author, eng)
        assert str(err.value) == message
    with pytest.raises(net.NetworkEditError) as err:
        net.record_edit("rename", "Alice", eng=eng)
    assert str(err.value) == "Action inconnue : rename"
    net.record_edit("add", "Alice", code_insee=f" {SEDAN}9 ", comment="c" * 350, eng=eng)   # code cut to 5 characters
    h = net.history(eng)
    assert h.code_insee.iloc[-1] == SEDAN and h.comment.iloc[-1] == "c" * 300
    down = create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'net.db'}")
    with pytest.raises(net.NetworkEditError) as err:
        net.add_site(SEDAN, "Alice", down)
    assert str(err.value).startswith("Enregistrement indisponible : ") and "Rien n'a été enregistré" in str(err.value)
