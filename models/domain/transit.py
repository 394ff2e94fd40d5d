"""Travel by TER (train, coach, tram-train) on a reference weekday: the one place the app reads it.

The journeys are precomputed by the geodata build (``geodata/build_ter_times.py``: a connection scan of the SNCF
timetable of 2025-01-22 on Tuesday 2025-03-11, morning 6:30 → 9:00, evening 17:00 → 21:00, 5 min changes) from
every commune with a TER stop inside it or within 5 km (by bike, 15 km/h, route 1.3 × the straight line) to the
towns of the reference Cnam sites and of Action Cœur de Ville. Here: the nearest site by TER of a commune, and
the population that reaches a site of a network within a threshold without a car.

    python -m models.transit 55545            # Verdun: its TER journey to the nearest Cnam site
    python -m models.transit --minutes 60     # population within 60 min of the current network by TER + bike
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from models.text import fr_format as F
from models.domain.territory import Territory

NO_ACCESS = "pas d'accès TER"


@lru_cache(maxsize=1)
def assumptions() -> dict:
    """Reference day, windows, change time and access rule of the precomputed journeys (from sources.json)."""
    meta = Territory.from_geodata().data("sources").get("datasets", {}).get("ter_trajets", {})
    return {**(meta.get("validite") or {}), "date": meta.get("date", ""), "gaps": meta.get("gaps", "")}


def assumptions_text() -> str:
    """One French sentence stating the reference day and the access rule."""
    a = assumptions()
    day = F.date(a.get("jour_reference", "")) if a.get("jour_reference") else "jour de référence inconnu"
    return (f"Horaires TER théoriques du mardi {day} (fichier SNCF du {F.date(a.get('version', ''))}, pas le temps "
            f"réel) : départ de la gare après 6{F.NBSP}h{F.NBSP}30, arrivée avant 9{F.NBSP}h, correspondances de "
            f"{a.get('correspondance_min', 5)}{F.NBSP}min au moins ; gare de la commune ou à "
            f"{F.num(a.get('acces_km', 5))}{F.NBSP}km au plus, rejointe à vélo "
            f"({F.num(a.get('acces_velo_kmh', 15))}{F.NBSP}km/h).")


@lru_cache(maxsize=1)
def journeys() -> pd.DataFrame:
    """The precomputed journeys (``ter_trajets`` of geodata/), one row per (origin commune, destination town)."""
    return Territory.from_geodata().data("ter_trajets")


@lru_cache(maxsize=1)
def _origin_codes() -> np.ndarray:
    codes = journeys().code_insee.to_numpy().astype(str)
    assert (codes[:-1] <= codes[1:]).all(), "ter_trajets doit être trié par code_insee"
    return codes


def _rows(code: str) -> pd.DataFrame:
    """The journeys leaving ``code`` (a slice of the sorted table)."""
    codes = _origin_codes()
    lo, hi = np.searchsorted(codes, code, "left"), np.searchsorted(codes, code, "right")
    return journeys().iloc[lo:hi]


@lru_cache(maxsize=1)
def served_communes() -> frozenset[str]:
    """Communes with a TER stop inside them or within the access distance (``ter_acces`` of geodata/)."""
    return frozenset(Territory.from_geodata().data("ter_acces").code_insee)


@lru_cache(maxsize=1)
def destinations() -> frozenset[str]:
    """Towns the journeys were computed to (reference Cnam site towns and ACV towns that have a stop nearby)."""
    return frozenset(journeys().destination)


@dataclass(frozen=True)
class Trip:
    """The TER journey of a commune to its nearest site by TER (times in minutes after midnight)."""
    destination: str
    destination_nom: str
    gare_depart: str
    gare_arrivee: str
    depart: int
    arrivee: int
    minutes: int
    correspondances: int
    acces_km: float
    acces_min: int
    sortie_min: int
    total_min: int
    retour_depart: int | None
    retour_arrivee: int | None
    retour_correspondances: int | None

    def sentence(self) -> str:
        """« En train ou car TER : 76 min depuis Verdun (départ 6 h 38, arrivée 7 h 54, sans correspondance) »."""
        xf = ("sans correspondance" if self.correspondances == 0
              else F.plural(self.correspondances, "correspondance"))
        return (f"En train ou car TER : {F.minutes(self.minutes)} depuis {self.gare_depart} vers "
                f"{self.destination_nom} (départ {F.clock(self.depart)}, arrivée {F.clock(self.arrivee)}, {xf})")

    def details(self) -> str:
        """Access, total and return in one French sentence."""
        parts = [f"gare à {F.km(self.acces_km)} de la mairie (≈ {F.minutes(self.acces_min)} à vélo)"
                 if self.acces_km >= 0.5 else "gare dans le bourg",
                 f"porte à porte ≈ {F.minutes(self.total_min)}"]
        if self.retour_depart is not None:
            parts.append(f"retour le soir : départ {F.clock(self.retour_depart)}, arrivée "
                         f"{F.clock(self.retour_arrivee)}")
        else:
            parts.append("pas de retour en TER entre 17 h et 21 h")
        text = " ; ".join(parts) + "."
        return text[:1].upper() + text[1:]


def _int(x):
    return None if pd.isna(x) else int(x)


def nearest_site_trip(code_insee: str, site_codes) -> Trip | None:
    """The fastest door-to-door TER journey of ``code_insee`` to a town of ``site_codes`` (None when there is
    none in the morning window). A commune hosting a site is not asked (no journey to itself)."""
    rows = _rows(str(code_insee))
    rows = rows[rows.destination.isin(set(map(str, site_codes)))]
    if rows.empty:
        return None
    r = rows.sort_values(["total_min", "arrivee", "destination"]).iloc[0]
    names = Territory.from_geodata().names
    return Trip(str(r.destination), str(names.get(r.destination, r.destination)), str(r.gare_depart),
                str(r.gare_arrivee), int(r.depart), int(r.arrivee), int(r.minutes), int(r.correspondances),
                float(r.acces_km), int(r.acces_min), int(r.sortie_min), int(r.total_min), _int(r.retour_depart),
                _int(r.retour_arrivee), _int(r.retour_correspondances))


def access_sentence(code_insee: str, site_codes) -> str:
    """The /ville line: the trip, or why there is none, in French."""
    code = str(code_insee)
    if code in set(map(str, site_codes)):
        return "Site Cnam dans la commune : pas de trajet à faire."
    if code not in served_communes():
        return f"En train ou car TER : {NO_ACCESS} (aucun arrêt dans la commune ni à 5{F.NBSP}km)."
    trip = nearest_site_trip(code, site_codes)
    if trip is None:
        return (f"En train ou car TER : aucun trajet vers un site Cnam partant après {F.clock(390)} et arrivant "
                f"avant {F.clock(540)} (jour de référence).")
    return trip.sentence() + "."


@dataclass
class TransitCoverage:
    """Population reaching a site town by TER + bike within ``minutes`` (door to door, reference morning)."""
    minutes: float
    population: float
    total_population: float
    communes: int
    sites_sans_calcul: list[str] = field(default_factory=list)   # site towns outside the precomputed destinations

    @property
    def share(self) -> float:
        return self.population / self.total_population if self.total_population else float("nan")


def _door_to_door(territory: Territory) -> dict:
    """Door-to-door minutes (communes of the territory × destination towns; inf where no journey), population
    and codes as arrays: built once per territory (its memo)."""
    def build():
        t, com = journeys(), territory.communes
        codes = com.code_insee.astype(str).to_numpy()
        dest = pd.Index(sorted(set(t.destination)))
        m = np.full((len(codes), len(dest)), np.inf, np.float32)
        rows = pd.Index(codes).get_indexer(t.code_insee)
        ok = rows >= 0
        m[rows[ok], dest.get_indexer(t.destination[ok])] = t.total_min.to_numpy()[ok]
        return {"m": m, "dest": dest, "index": pd.Index(codes), "pop": com.population.to_numpy(float)}
    key = ("transit_door_to_door", len(journeys()))
    if key not in territory.memo:
        territory.memo[key] = build()
    return territory.memo[key]


def transit_coverage(site_codes, minutes: float, territory: Territory | None = None) -> TransitCoverage:
    """Population of the communes whose door-to-door TER time (access by bike + train/coach + to the town) to a
    site town is at most ``minutes``, plus the site towns themselves ("sans voiture")."""
    d = _door_to_door(territory or Territory.from_geodata())
    sites = sorted(set(map(str, site_codes)))
    cols = d["dest"].get_indexer(sites)
    mask = (d["m"][:, cols[cols >= 0]].min(axis=1) <= minutes) if (cols >= 0).any() \
        else np.zeros(len(d["pop"]), bool)
    at_site = d["index"].get_indexer(sites)
    mask[at_site[at_site >= 0]] = True
    pop = d["pop"]
    return TransitCoverage(float(minutes), float(np.nansum(pop[mask])), float(np.nansum(pop)), int(mask.sum()),
                           [c for c, j in zip(sites, cols) if j < 0])


FAB_ID_MINUTES = 45.0  # "sans voiture" catchment of a Fab ID shown in its fit (the coverage page's longest default)


def catchment(code_insee: str, minutes: float = FAB_ID_MINUTES,
              territory: Territory | None = None) -> TransitCoverage | None:
    """Who reaches the town ``code_insee`` without a car within ``minutes`` (door to door, TER + bike, the town
    itself included); ``None`` when no journey was computed to it (not a Cnam site or ACV town, or no stop)."""
    if str(code_insee) not in destinations():
        return None
    return transit_coverage([str(code_insee)], minutes, territory)


def warm() -> None:
    """Build the door-to-door matrix and the lookup arrays once (app start), so no request pays for them."""
    transit_coverage([], 60)
    served_communes()
    _origin_codes()
