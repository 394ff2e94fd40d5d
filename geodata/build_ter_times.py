"""TER journeys of a reference weekday (SNCF GTFS of 2025-01-22, with timetables): from every commune near a TER
stop to each Cnam site town and Action Cœur de Ville town, morning and evening, by :mod:`geodata.csa`.

Assumptions (stated on /sources):
- reference day :data:`REFERENCE_DAY`, an ordinary Tuesday inside the feed's validity, outside school holidays;
- morning: leave the stop at or after 6:30, arrive by 9:00; evening: leave the destination's stop at or after 17:00,
  arrive by 21:00; a change of vehicle needs :data:`MIN_CHANGE_MIN` minutes;
- access: a commune uses the stops inside it or within :data:`ACCESS_KM` km (straight line) of its reference point,
  reached by bike at :data:`BIKE_KMH` km/h along a route :data:`DETOUR` times the straight line; the same on arrival
  (from the destination's stop to the town's reference point);
- per (origin, destination) the journey kept arrives first (access to the town included), then is the shortest.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from geodata import csa

FEED_FILE = "transport/sncf_ter_gtfs_2025-01-22.zip"
REFERENCE_DAY = date(2025, 3, 11)          # Tuesday; winter holidays of zone B end 2025-02-24, spring ones start 04-05
MORNING = (6 * 3600 + 30 * 60, 9 * 3600)
EVENING = (17 * 3600, 21 * 3600)
MIN_CHANGE_MIN = 5
ACCESS_KM = 5.0
BIKE_KMH = 15.0
DETOUR = 1.3
PARAMETERS = {"jour_reference": REFERENCE_DAY.isoformat(), "matin": "départ après 6 h 30, arrivée avant 9 h",
              "soir": "départ après 17 h, arrivée avant 21 h", "correspondance_min": MIN_CHANGE_MIN,
              "acces_km": ACCESS_KM, "acces_velo_kmh": BIKE_KMH, "detour": DETOUR}
COLUMNS = ["code_insee", "destination", "gare_depart", "acces_km", "acces_min", "depart", "arrivee", "minutes",
           "correspondances", "gare_arrivee", "sortie_km", "sortie_min", "total_min",
           "retour_depart", "retour_arrivee", "retour_minutes", "retour_correspondances"]


def access_minutes(km):
    """Minutes by bike for a straight-line distance (rounded up to the minute)."""
    return np.ceil(np.asarray(km, float) * DETOUR / BIKE_KMH * 60).astype(int)


def _km(lon1, lat1, lon2, lat2):
    """Great-circle km between arrays (broadcasting)."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(h))


def commune_stops(communes: pd.DataFrame, stops: pd.DataFrame) -> pd.DataFrame:
    """(code_insee, stop_id, km, minutes): the stops a commune uses — inside it, or within ACCESS_KM km."""
    d = _km(communes.lon.to_numpy()[:, None], communes.lat.to_numpy()[:, None],
            stops.lon.to_numpy()[None, :], stops.lat.to_numpy()[None, :])
    inside = communes.code_insee.to_numpy()[:, None] == stops.code_insee.to_numpy()[None, :]
    i, j = np.nonzero((d <= ACCESS_KM) | inside)
    km = np.round(d[i, j], 1)
    return pd.DataFrame({"code_insee": communes.code_insee.to_numpy()[i], "stop_id": stops.stop_id.to_numpy()[j],
                         "km": km, "min": access_minutes(km)})


def _scan(tables, keep, window, origins):
    conn = csa.day_connections(tables, REFERENCE_DAY, window[0], window[1], keep)
    origins = [s for s in origins if s in conn.stops]
    return csa.earliest_arrival(conn, origins, window[0], MIN_CHANGE_MIN * 60)


def _matrix(scan: csa.Scan, stops: pd.Index):
    """(arrival, departure, transfers) as (stops × stops) frames restricted to ``stops``: row = to, col = from."""
    rows = scan.stops.get_indexer(stops)
    cols = pd.Index(scan.origins).get_indexer(stops)
    out = []
    for a, fill in ((scan.arrival, csa.INF), (scan.departure, -1), (scan.transfers, 0)):
        m = np.full((len(stops), len(stops)), fill, a.dtype)
        r, c = rows >= 0, cols >= 0
        m[np.ix_(r, c)] = a[np.ix_(rows[r], cols[c])]
        np.fill_diagonal(m, fill)     # the same stop: no journey
        out.append(m)
    return out


def _nullable(values, ok):
    return pd.arrays.IntegerArray(np.where(ok, values, 0).astype(np.int32), ~np.asarray(ok))


def ter_acces(communes: pd.DataFrame, arrets: pd.DataFrame) -> pd.DataFrame:
    """The access table committed with the journeys: (code_insee, stop_id, gare, km, minutes) of every commune
    having a stop inside it or within ACCESS_KM km — a commune absent from it has no TER access at all."""
    cs = commune_stops(communes, arrets)
    names = arrets.set_index("stop_id").nom
    out = pd.DataFrame({"code_insee": cs.code_insee, "stop_id": cs.stop_id,
                        "gare": names.reindex(cs.stop_id).to_numpy(), "km": cs.km,
                        "minutes": cs["min"].astype("int32")})
    return out.sort_values(["code_insee", "km", "stop_id"]).reset_index(drop=True)


def ter_trajets(raw: Path, communes: pd.DataFrame, arrets: pd.DataFrame, destinations: list[str]) -> pd.DataFrame:
    """One row per (origin commune, destination town) reachable by TER on the reference morning: see COLUMNS
    (times in minutes after midnight; evening columns null when no return by 21:00)."""
    tables = csa.read_tables(raw / FEED_FILE)
    area = csa.stop_areas(tables["stops"])
    st = tables["stop_times"]
    keep = set(st.trip_id[st.stop_id.map(area).isin(set(arrets.stop_id))])   # trips touching region + belt
    stops = pd.Index(arrets.stop_id)
    morning = _matrix(_scan(tables, keep, MORNING, list(stops)), stops)
    evening = _matrix(_scan(tables, keep, EVENING, list(stops)), stops)
    cs = commune_stops(communes, arrets)
    cs["s"] = stops.get_indexer(cs.stop_id)
    names = arrets.set_index("stop_id").nom
    by_commune = {c: g for c, g in cs.groupby("code_insee")}
    out = []
    for dest in sorted(set(destinations)):
        dst = by_commune.get(dest)
        if dst is None:
            continue
        q, q_min = dst.s.to_numpy(), dst["min"].to_numpy()
        # morning: best destination stop for each origin stop (arrival at the town = stop arrival + egress)
        arr_q = morning[0][q].astype(np.int64) + q_min[:, None] * 60
        arr_q[morning[0][q] >= csa.INF] = np.iinfo(np.int64).max
        best_q = arr_q.argmin(axis=0)
        o = cs[cs.code_insee != dest].copy()
        o["q"] = q[best_q[o.s]]
        o["q_min"] = q_min[best_q[o.s]]
        o["q_km"] = dst.km.to_numpy()[best_q[o.s]]
        o["arr"] = morning[0][o.q, o.s]
        o = o[o.arr < csa.INF]
        o["dep"] = morning[1][o.q, o.s]
        o["xf"] = morning[2][o.q, o.s]
        o["town_arr"] = o.arr + o.q_min * 60
        o["total"] = o.town_arr - o.dep + o["min"] * 60
        o = o.sort_values(["code_insee", "town_arr", "total", "stop_id"]).drop_duplicates("code_insee")
        # evening: from any destination stop back to the stop the commune left from
        e_arr = evening[0][o.s.to_numpy()[:, None], q[None, :]]
        j = e_arr.argmin(axis=1)
        ea = e_arr[np.arange(len(o)), j]
        ed = evening[1][o.s.to_numpy(), q[j]]
        ex = evening[2][o.s.to_numpy(), q[j]]
        back = ea < csa.INF
        out.append(pd.DataFrame({
            "code_insee": o.code_insee.to_numpy(), "destination": dest,
            "gare_depart": names.reindex(o.stop_id).to_numpy(), "acces_km": o.km.to_numpy(),
            "acces_min": o["min"].to_numpy(), "depart": o.dep.to_numpy() // 60, "arrivee": o.arr.to_numpy() // 60,
            "minutes": (o.arr.to_numpy() - o.dep.to_numpy()) // 60, "correspondances": o.xf.to_numpy(),
            "gare_arrivee": names.reindex(stops[o.q]).to_numpy(), "sortie_km": o.q_km.to_numpy(),
            "sortie_min": o.q_min.to_numpy(), "total_min": o.total.to_numpy() // 60,
            "retour_depart": _nullable(ed // 60, back), "retour_arrivee": _nullable(ea // 60, back),
            "retour_minutes": _nullable((ea - ed) // 60, back), "retour_correspondances": _nullable(ex, back)}))
    res = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=COLUMNS)
    for c in ("acces_min", "depart", "arrivee", "minutes", "correspondances", "sortie_min", "total_min"):
        res[c] = res[c].astype("int32")
    return res[COLUMNS].sort_values(["code_insee", "destination"]).reset_index(drop=True)


def feed_validity(raw: Path) -> dict:
    """Validity of the timetable feed (its ``feed_info.txt``) and the reference parameters, for sources.json."""
    info = csa.read_tables(raw / FEED_FILE, names=("feed_info",))["feed_info"]
    iso = lambda d: f"{d[:4]}-{d[4:6]}-{d[6:8]}"  # noqa: E731
    return {"debut": iso(info.feed_start_date[0]), "fin": iso(info.feed_end_date[0]),
            "version": info.feed_version[0], **PARAMETERS}
