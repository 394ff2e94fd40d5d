"""``python -m models.transit``: the command line of :mod:`models.domain.transit` (arguments, French messages,
exit codes, printing); the rules live in the domain module."""
from __future__ import annotations

import argparse
import json
import sys

from models.domain.territory import Territory
from models.domain.transit import access_sentence, assumptions_text, nearest_site_trip, transit_coverage
from models.text import fr_format as F


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m models.transit", description="Trajets en TER (jour de référence).")
    ap.add_argument("code_insee", nargs="?")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    sites = list(Territory.from_geodata().current_sites().code_insee.astype(str))
    if a.code_insee:
        trip = nearest_site_trip(a.code_insee, sites)
        out = trip.__dict__ if trip else {"code_insee": a.code_insee, "trajet": None}
        print(json.dumps(out, ensure_ascii=False) if a.json else access_sentence(a.code_insee, sites))
        return 0
    cov = transit_coverage(sites, a.minutes)
    if a.json:
        print(json.dumps({**cov.__dict__, "share": cov.share}, ensure_ascii=False))
    else:
        print(f"{F.num(cov.population)} habitants ({F.pct(100 * cov.share)}) à {F.minutes(a.minutes)} au plus "
              f"d'un site Cnam en TER + vélo. {assumptions_text()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
