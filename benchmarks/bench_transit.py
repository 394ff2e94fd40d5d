"""Issue #16 (TER): coverage "sans voiture" (TER + bike) of the reference network, the /ville TER line, and the
geodata build step of the TER journeys (read the GTFS zip, two connection scans, tables) when ../shared is here."""
from __future__ import annotations

import time
from pathlib import Path

from benchmarks import Measure, time_ms

ISSUE = "#16 TER"
RAW = Path(__file__).resolve().parents[2] / "shared" / "raw"


def run() -> list[Measure]:
    import geodata
    from models.domain import transit
    from models.stores.network import reference_network
    from models.domain.territory import Territory

    geodata.load_all()
    territory = Territory.from_geodata()
    sites = list(reference_network().code_insee.astype(str))
    t0 = time.perf_counter()
    transit.transit_coverage(sites, 60, territory)
    first = (time.perf_counter() - t0) * 1000
    out = [
        Measure(ISSUE, "couverture « sans voiture », une fois par processus (matrice porte à porte, au démarrage)",
                first, "ms"),
        Measure(ISSUE, "couverture « sans voiture » (60 min), réseau de référence + 8 villes",
                time_ms(lambda: transit.transit_coverage(sites + list(geodata.acv().code_insee[:8]), 60, territory)),
                "ms", 100),
        Measure(ISSUE, "ligne TER de /ville (Verdun → site le plus proche)",
                time_ms(lambda: transit.access_sentence("55545", sites)), "ms", 20),
    ]
    if (RAW / "transport").exists():
        from geodata import build_ter_times as btt

        com, arrets = geodata.communes(), geodata.ter_arrets()
        dest = list(geodata.cnam_sites().code_insee) + list(geodata.acv().code_insee)
        t0 = time.perf_counter()
        btt.ter_trajets(RAW, com, arrets, dest)
        btt.ter_acces(com, arrets)
        out.append(Measure(ISSUE, "construction geodata : étape TER (lecture GTFS, 2 balayages, tables)",
                           time.perf_counter() - t0, "s", 30))
    return out
