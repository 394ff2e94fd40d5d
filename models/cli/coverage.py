"""``python -m models.coverage``: the command line of :mod:`models.domain.coverage` (arguments, French messages,
exit codes, printing); the rules live in the domain module."""
from __future__ import annotations

import json
import sys

from models.domain.coverage import WEIGHTS, check_minutes, coverage
from models.domain.travel import TravelSettings
from models.text import fr_format as F
from models.text.arguments import FrenchArgumentParser, fail, split_codes


def main(argv=None) -> int:
    p = FrenchArgumentParser(prog="python -m models.coverage",
                             description="Couverture de la région par les sites Cnam (temps estimés).")
    p.add_argument("--minutes", type=float, default=30, help="seuil de temps (5 à 180 min, défaut 30)")
    p.add_argument("--sites", help="codes INSEE des sites, séparés par des virgules (défaut : réseau de référence)")
    p.add_argument("--weight", default="population", choices=list(WEIGHTS), help="pondération de la demande")
    p.add_argument("--travel-model", default="calibre", choices=["calibre", "regle_1_3"],
                   help="modèle de temps (calibré sur des temps routés, ou l'ancienne règle ×1,3 à 60 km/h)")
    p.add_argument("--time-factor", type=float, default=1.0, help="facteur appliqué aux temps (0,5 à 2)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    a = p.parse_args(argv)
    try:
        settings = TravelSettings(a.travel_model, a.time_factor)
        minutes = check_minutes(a.minutes)
        if a.sites is None:
            from models.domain.reference_sites import reference_label, reference_network

            sites, version = reference_network(), reference_label()
        else:
            sites, version = split_codes(a.sites), "liste --sites (sites placés à la mairie)"
        res = coverage(sites, minutes, settings, a.weight, version)
    except (KeyError, ValueError) as err:
        return fail(str(err.args[0]) if err.args else str(err))
    out = res.summary()
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"Couverture à {F.num_short(minutes)} min (estimée) : {F.pct(100 * out['covered_share'])} de la population "
              f"({F.num(out['covered_population'])} / {F.num(out['total_population'])}), "
              f"{F.plural(out['uncovered_communes'], 'commune non couverte', 'communes non couvertes')}, "
              f"{F.plural(out['zones_blanches'], 'zone blanche', 'zones blanches')}.")
        for d in out["by_departement"]:
            print(f"  {d['departement']} {d['nom']:<25} {F.pct(100 * d['covered_share'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
