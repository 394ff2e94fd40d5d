"""The connection scan (geodata/csa.py) on a tiny hand-made GTFS, then against the real SNCF feed of 2025-01-22."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import geodata
from geodata import build_ter_times as btt, csa

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT.parent / "shared" / "raw"
TUESDAY = date(2025, 3, 11)
H = 3600


def hm(h: int, m: int) -> int:
    return h * H + m * 60


def tiny_feed(trips: list[tuple[str, str, list[tuple[str, str]]]], calendar_dates: str = "",
              calendar: str = "") -> dict:
    """trips: (trip_id, service_id, [(stop, "HH:MM"), ...]); stops A, B, C, D are areas with one platform each."""
    stops = ["stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station"]
    for s in "ABCD":
        stops += [f"{s},{s},48.0,7.0,1,", f"{s}1,{s} quai,48.0,7.0,0,{s}"]
    st = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type"]
    tr = ["route_id,service_id,trip_id"]
    for trip, service, calls in trips:
        tr.append(f"R,{service},{trip}")
        for i, (stop, t) in enumerate(calls):
            st.append(f"{trip},{t}:00,{t}:00,{stop}1,{i},0,0")
    feed = {"stops": "\n".join(stops), "trips": "\n".join(tr), "stop_times": "\n".join(st),
            "calendar_dates": "service_id,date,exception_type\n" + calendar_dates}
    if calendar:
        feed["calendar"] = ("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                            + calendar)
    return feed


def scan(feed: dict, origins=("A",), start=hm(6, 30), end=hm(9, 0), change=5 * 60) -> csa.Scan:
    conn = csa.day_connections(csa.read_tables(feed), TUESDAY, start, end)
    return csa.earliest_arrival(conn, list(origins), start, change)


def test_a_direct_train_gives_its_own_times_and_no_change():
    feed = tiny_feed([("T1", "S", [("A", "07:12"), ("B", "07:40"), ("C", "08:03")])], "S,20250311,1\n")
    s = scan(feed)
    assert s.journey("A", "C") == (hm(7, 12), hm(8, 3), 0)
    assert s.journey("A", "B") == (hm(7, 12), hm(7, 40), 0)
    assert s.journey("A", "D") is None


@pytest.mark.parametrize("second_leaves, expected", [
    ("07:35", (hm(7, 0), hm(8, 0), 1)),    # 5 minutes to change: caught
    ("07:34", (hm(7, 0), hm(8, 30), 1)),   # missed by one minute: the next one, 30 minutes later
])
def test_a_transfer_needs_the_minimum_connection_time(second_leaves, expected):
    feed = tiny_feed([("T1", "S", [("A", "07:00"), ("B", "07:30")]),
                      ("T2", "S", [("B", second_leaves), ("C", "08:00")]),
                      ("T3", "S", [("B", "08:00"), ("C", "08:30")])], "S,20250311,1\n")
    assert scan(feed).journey("A", "C") == expected


def test_staying_on_board_needs_no_connection_time():
    feed = tiny_feed([("T1", "S", [("A", "07:00"), ("B", "07:30"), ("C", "07:31")])], "S,20250311,1\n")
    assert scan(feed).journey("A", "C") == (hm(7, 0), hm(7, 31), 0)


def test_a_service_that_does_not_run_on_the_reference_day_is_ignored():
    fast = [("A", "07:00"), ("C", "07:20")]
    slow = [("A", "07:10"), ("C", "08:10")]
    feed = tiny_feed([("FAST", "MONDAYS", fast), ("SLOW", "DAILY", slow)],
                     "MONDAYS,20250310,1\nDAILY,20250311,1\n")
    assert scan(feed).journey("A", "C") == (hm(7, 10), hm(8, 10), 0)
    # the same through calendar.txt (weekday flags) and a removal in calendar_dates
    feed = tiny_feed([("FAST", "WEEK", fast), ("SLOW", "DAILY", slow)], "WEEK,20250311,2\n",
                     "WEEK,1,1,1,1,1,0,0,20250101,20251231\nDAILY,1,1,1,1,1,1,1,20250101,20251231\n")
    assert scan(feed).journey("A", "C") == (hm(7, 10), hm(8, 10), 0)
    assert csa.services_on(date(2025, 3, 12), csa.read_tables(feed)["calendar"],
                           csa.read_tables(feed)["calendar_dates"]) == {"WEEK", "DAILY"}


def test_the_window_and_the_latest_departure_for_the_earliest_arrival():
    feed = tiny_feed([("EARLY", "S", [("A", "06:20"), ("C", "07:00")]),    # leaves before 6:30
                      ("T1", "S", [("A", "06:40"), ("B", "07:00")]),
                      ("T2", "S", [("A", "06:50"), ("B", "07:00")]),       # same arrival, leaves later: kept
                      ("T3", "S", [("B", "07:10"), ("C", "07:30")]),
                      ("LATE", "S", [("A", "08:30"), ("D", "09:05")])],    # arrives after 9:00
                     "S,20250311,1\n")
    s = scan(feed)
    assert s.journey("A", "B") == (hm(6, 50), hm(7, 0), 0)
    assert s.journey("A", "C") == (hm(6, 50), hm(7, 30), 1)
    assert s.journey("A", "D") is None


def test_no_boarding_or_alighting_where_the_timetable_forbids_it():
    feed = tiny_feed([("T1", "S", [("A", "07:00"), ("B", "07:20"), ("C", "07:40")])], "S,20250311,1\n")
    feed["stop_times"] = feed["stop_times"].replace("T1,07:20:00,07:20:00,B1,1,0,0", "T1,07:20:00,07:20:00,B1,1,1,1")
    s = scan(feed, origins=("A", "B"))
    assert s.journey("A", "B") is None and s.journey("B", "C") is None
    assert s.journey("A", "C") == (hm(7, 0), hm(7, 40), 0)


def test_access_by_bike_is_the_stated_assumption():
    # 5 km straight line × 1.3 at 15 km/h = 26 min; 0.9 km → 4.68 → 5 min
    assert list(btt.access_minutes([5.0, 0.9, 0.0])) == [26, 5, 0]


@pytest.mark.skipif(not (RAW / btt.FEED_FILE).exists(), reason="flux GTFS brut absent (clone sans ../shared)")
def test_three_trips_read_by_hand_off_the_real_stop_times():
    tables = csa.read_tables(RAW / btt.FEED_FILE)
    conn = csa.day_connections(tables, btt.REFERENCE_DAY, *btt.MORNING)
    verdun, metz = "StopArea:OCE87175778", "StopArea:OCE87192039"
    nancy, epinal = "StopArea:OCE87141002", "StopArea:OCE87144006"
    strasbourg, saverne = "StopArea:OCE87212027", "StopArea:OCE87212225"
    s = csa.earliest_arrival(conn, [verdun, nancy, strasbourg], btt.MORNING[0], btt.MIN_CHANGE_MIN * 60)
    # trip OCESN833481F3525317:2025-01-22T00:42:25Z (service on 20250311): Verdun 06:38:00 → Metz 07:54:00
    assert s.journey(verdun, metz) == (hm(6, 38), hm(7, 54), 0)
    # trip OCESN835753F3748578:2025-01-22T00:42:25Z: Nancy 06:55:00 → Épinal 07:51:00
    assert s.journey(nancy, epinal) == (hm(6, 55), hm(7, 51), 0)
    # trip OCESN830300F3523562:2025-01-17T00:20:49Z: Strasbourg 06:46:00 → Saverne arrival 07:11:00
    assert s.journey(strasbourg, saverne) == (hm(6, 46), hm(7, 11), 0)


def test_the_committed_table_holds_verduns_train_to_metz():
    t = geodata.ter_trajets().set_index(["code_insee", "destination"])
    row = t.loc[("55545", "57463")]   # Verdun → Metz: the 6:38 read off stop_times above
    assert (row.gare_depart, row.depart, row.arrivee, row.minutes, row.correspondances) == ("Verdun", 398, 474, 76, 0)
    assert row.total_min == row.acces_min + row.minutes + row.sortie_min
    assert "68112" not in set(t.index.get_level_values("destination"))   # Guebwiller: no stop within 5 km


def test_geodata_check_reports_the_ter_vintage_and_the_communes_without_access():
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "geodata.check", "--json"], cwd=ROOT, capture_output=True, text=True)
    report = json.loads(out.stdout)
    assert report["millesimes"]["ter"] == "2025-01-22"
    assert report["ter_trajets"]["jour_reference"] == "2025-03-11"
    com, acc = geodata.communes(), geodata.ter_acces()
    assert report["ter_sans_acces"]["communes"] == len(com) - acc.code_insee.nunique() > 0
    failed = [c["name"] for c in report["checks"] if not c["ok"]]
    assert not failed, failed
