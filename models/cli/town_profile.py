"""``python -m models.town_profile``: the command line of :mod:`models.domain.town_profile` (arguments, French messages,
exit codes, printing); the rules live in the domain module."""
from __future__ import annotations

import sys

from models.domain.territory import UnknownCommune
from models.domain.town_profile import KINDS, indicator_rows, profile
from models.text import fr_format as F
from models.text.arguments import FrenchArgumentParser


def main(argv=None) -> int:
    parser = FrenchArgumentParser(prog="python -m models.town_profile", description="Fiche ville d'une commune.")
    parser.add_argument("code_insee")
    parser.add_argument("--json", action="store_true", help="indicateurs en JSON")
    args = parser.parse_args(argv)
    try:
        p = profile(args.code_insee)
    except UnknownCommune as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    rows = indicator_rows(p)
    if args.json:
        print(rows.to_json(orient="records", force_ascii=False, indent=1))
        return 0
    print(f"{p.nom} ({p.code_insee}) — {p.departement_nom}, {p.epci_nom}")
    for f in p.figures:
        print(f"  {f.label:<70} {f.fmt(f.value):>12}  dép. {f.fmt(f.departement):>12}  rég. {f.fmt(f.region):>12}"
              f"  [{f.source}, {f.date}]")
    for kind, df in p.partners.items():
        print(f"  {KINDS[kind]} : " + ", ".join(f"{r.nom} ({F.km(r.distance_km)})" for r in df.itertuples()))
    print("  Bassin : " + ", ".join(f"{m} min : {F.num(v)} hab." for m, v in p.catchment.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
