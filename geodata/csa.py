"""A small connection-scan algorithm (CSA) over a GTFS timetable, for many origins at once (numpy).

Dibbelt, Pajor, Strasser & Wagner, « Connection Scan Algorithm » (2013/2018): the timetable is a list of
*connections* (one vehicle going from one stop to the next, with its departure and arrival times) sorted by
departure; one pass over it gives the earliest arrival at every stop. Here the pass runs for every origin at
once (one numpy column per origin), so the whole region costs one scan of the morning's connections.

Conventions:
- stops are GTFS *stop areas* (a change between two platforms of one station is a change at that area);
- times are seconds after midnight of the reference day (GTFS times may exceed 24:00:00);
- a change of vehicle needs ``min_change`` seconds at the stop (staying in the same trip needs none); no walk
  between two different stop areas;
- ``pickup_type`` / ``drop_off_type`` = 1 (no boarding / no alighting at that stop) are obeyed;
- among the journeys with the earliest arrival, the one leaving the origin last is kept, then the one with the
  fewest changes (a lexicographic choice, not a full Pareto profile).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

INF = np.iinfo(np.int32).max // 2
ORIGIN = -2  # marker in the departure matrix: this stop is the origin itself


def gtfs_seconds(hms: pd.Series) -> np.ndarray:
    """"HH:MM:SS" (hours may exceed 23) → seconds after midnight (int32)."""
    parts = hms.str.split(":", expand=True).astype(np.int32)
    return (parts[0] * 3600 + parts[1] * 60 + parts[2]).to_numpy(np.int32)


def read_tables(feed: Path | str | dict, names=("stops", "trips", "stop_times", "calendar", "calendar_dates")) -> dict:
    """GTFS tables as string DataFrames, from a zip (path) or a dict ``{name: csv text}`` (tests). Absent
    optional tables (``calendar``) come back empty."""
    out = {}
    if isinstance(feed, dict):
        for n in names:
            out[n] = (pd.read_csv(io.StringIO(feed[n]), dtype=str, keep_default_na=False) if n in feed
                      else pd.DataFrame())
        return out
    with zipfile.ZipFile(feed) as z:
        present = set(z.namelist())
        for n in names:
            f = f"{n}.txt"
            out[n] = (pd.read_csv(z.open(f), dtype=str, keep_default_na=False) if f in present else pd.DataFrame())
    return out


def services_on(day: date, calendar: pd.DataFrame, calendar_dates: pd.DataFrame) -> set[str]:
    """The ``service_id`` running on ``day``: ``calendar`` (weekday flags within its dates) plus the additions
    (exception_type 1) minus the removals (2) of ``calendar_dates``."""
    ymd = day.strftime("%Y%m%d")
    run: set[str] = set()
    if len(calendar):
        wd = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][day.weekday()]
        c = calendar[(calendar[wd] == "1") & (calendar.start_date <= ymd) & (calendar.end_date >= ymd)]
        run |= set(c.service_id)
    if len(calendar_dates):
        d = calendar_dates[calendar_dates.date == ymd]
        run |= set(d.service_id[d.exception_type == "1"])
        run -= set(d.service_id[d.exception_type == "2"])
    return run


def stop_areas(stops: pd.DataFrame) -> pd.Series:
    """stop_id → its stop area (``parent_station``, or itself when it has none)."""
    parent = stops.parent_station if "parent_station" in stops else pd.Series("", index=stops.index)
    return pd.Series(np.where(parent != "", parent, stops.stop_id), index=stops.stop_id.to_numpy())


@dataclass
class Connections:
    """The connections of one day, sorted by departure: integer stop and trip indices into ``stops``/``trips``."""
    frame: pd.DataFrame          # dep, arr, u, v, trip, board, alight (numpy-friendly ints/bools)
    stops: pd.Index              # stop-area ids (index = node number)
    trips: pd.Index              # trip ids


def day_connections(tables: dict, day: date, start: int, end: int, keep_trip=None) -> Connections:
    """Connections of the trips running on ``day`` that depart at or after ``start`` and arrive by ``end``
    (seconds). ``keep_trip``: optional set of trip ids to keep (e.g. the trips that touch the region)."""
    trips = tables["trips"]
    running = trips.trip_id[trips.service_id.isin(services_on(day, tables.get("calendar", pd.DataFrame()),
                                                               tables.get("calendar_dates", pd.DataFrame())))]
    if keep_trip is not None:
        running = running[running.isin(keep_trip)]
    st = tables["stop_times"]
    st = st[st.trip_id.isin(set(running))]
    area = stop_areas(tables["stops"])
    st = pd.DataFrame({"trip": st.trip_id.to_numpy(), "seq": st.stop_sequence.astype(int).to_numpy(),
                       "area": area.reindex(st.stop_id).to_numpy(),
                       "arr": gtfs_seconds(st.arrival_time), "dep": gtfs_seconds(st.departure_time),
                       "pickup": (st.get("pickup_type", pd.Series("", index=st.index)) != "1").to_numpy(),
                       "dropoff": (st.get("drop_off_type", pd.Series("", index=st.index)) != "1").to_numpy()})
    st = st.sort_values(["trip", "seq"], kind="stable").reset_index(drop=True)
    same = (st.trip.to_numpy()[1:] == st.trip.to_numpy()[:-1])
    a, b = st.iloc[:-1][same].reset_index(drop=True), st.iloc[1:][same].reset_index(drop=True)
    c = pd.DataFrame({"dep": a.dep, "arr": b.arr, "from": a.area, "to": b.area, "trip": a.trip,
                      "board": a.pickup, "alight": b.dropoff})
    c = c[(c.dep >= start) & (c.arr <= end)]
    stops_ix = pd.Index(sorted(set(c["from"]) | set(c["to"])))
    trips_ix = pd.Index(sorted(set(c.trip)))
    frame = pd.DataFrame({"dep": c.dep.to_numpy(np.int32), "arr": c.arr.to_numpy(np.int32),
                          "u": stops_ix.get_indexer(c["from"]), "v": stops_ix.get_indexer(c["to"]),
                          "trip": trips_ix.get_indexer(c.trip), "board": c.board.to_numpy(),
                          "alight": c.alight.to_numpy()})
    frame = frame.sort_values(["dep", "arr"], kind="stable").reset_index(drop=True)
    return Connections(frame, stops_ix, trips_ix)


@dataclass
class Scan:
    """Result of :func:`earliest_arrival`, arrays of shape (stops, origins): ``arrival`` (seconds, INF when not
    reached), ``departure`` (seconds the journey leaves its origin; -1 when not reached, :data:`ORIGIN` at the
    origin itself) and ``transfers`` (number of changes of vehicle)."""
    stops: pd.Index
    origins: list[str]
    arrival: np.ndarray
    departure: np.ndarray
    transfers: np.ndarray

    def journey(self, origin: str, stop: str) -> tuple[int, int, int] | None:
        """(departure, arrival, transfers) from ``origin`` to ``stop``, or None when not reached."""
        if stop not in self.stops or origin not in self.origins or origin == stop:
            return None
        s, o = self.stops.get_loc(stop), self.origins.index(origin)
        if self.arrival[s, o] >= INF:
            return None
        return int(self.departure[s, o]), int(self.arrival[s, o]), int(self.transfers[s, o])


def earliest_arrival(conn: Connections, origins: list[str], start: int, min_change: int) -> Scan:
    """Earliest arrival at every stop from each origin stop area, leaving at or after ``start``.

    One pass over the connections; every numpy operation runs over all origins at once.
    """
    n_s, n_t, n_o = len(conn.stops), len(conn.trips), len(origins)
    arr = np.full((n_s, n_o), INF, np.int32)
    ready = np.full((n_s, n_o), INF, np.int32)     # earliest time a new vehicle can be boarded there
    odep = np.full((n_s, n_o), -1, np.int32)
    xf = np.zeros((n_s, n_o), np.int16)
    t_on = np.zeros((n_t, n_o), bool)
    t_dep = np.full((n_t, n_o), -1, np.int32)
    t_xf = np.zeros((n_t, n_o), np.int16)
    cols = np.arange(n_o)
    rows = conn.stops.get_indexer(origins)
    ok = rows >= 0
    arr[rows[ok], cols[ok]] = start
    ready[rows[ok], cols[ok]] = start
    odep[rows[ok], cols[ok]] = ORIGIN
    f = conn.frame
    for d, a, u, v, t, board, alight in zip(f.dep.to_numpy(), f.arr.to_numpy(), f.u.to_numpy(), f.v.to_numpy(),
                                            f.trip.to_numpy(), f.board.to_numpy(), f.alight.to_numpy()):
        if board:
            r = ready[u] <= d
            if r.any():
                at_origin = odep[u] == ORIGIN
                cand = np.where(at_origin, d, odep[u])
                cxf = xf[u] + (~at_origin)
                upd = r & ((cand > t_dep[t]) | ((cand == t_dep[t]) & (cxf < t_xf[t])))
                t_dep[t] = np.where(upd, cand, t_dep[t])
                t_xf[t] = np.where(upd, cxf, t_xf[t])
                t_on[t] |= r
        if alight:
            on = t_on[t]
            if on.any():
                av = arr[v]
                better = on & ((a < av) | ((a == av) & ((t_dep[t] > odep[v]) |
                                                        ((t_dep[t] == odep[v]) & (t_xf[t] < xf[v])))))
                better &= odep[v] != ORIGIN
                if better.any():
                    arr[v] = np.where(better, a, av)
                    odep[v] = np.where(better, t_dep[t], odep[v])
                    xf[v] = np.where(better, t_xf[t], xf[v])
                    ready[v] = np.where(better, a + min_change, ready[v])
    return Scan(conn.stops, list(origins), arr, odep, xf)
