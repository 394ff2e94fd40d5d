"""``python -m models.scoring``: the command line of :mod:`models.domain.scoring` (arguments, French messages,
exit codes, printing); the rules live in the domain module."""
from __future__ import annotations

import json
import math
import sys

from models.domain.scoring import KEYS, MISSING_RULES, ScoringError, WEIGHT_MAX, ranking, records
from models.text.arguments import FrenchArgumentParser


def _pairs(items, what: str) -> dict:
    out = {}
    for item in items or []:
        if "=" not in item:
            raise ScoringError(f"{what} attendu sous la forme critère=valeur : « {item[:30]} ».")
        name, value = item.split("=", 1)
        out[name.strip()] = value.strip()
    return out


def main(argv=None) -> int:
    parser = FrenchArgumentParser(prog="python -m models.scoring",
                           description="Classement multicritère des villes candidates (ACV + communes ajoutées).")
    parser.add_argument("--weights", nargs="+", metavar="CRITERE=POIDS",
                        help=f"poids de 0 à {WEIGHT_MAX:g} ; critères : {', '.join(KEYS)}")
    parser.add_argument("--sens", nargs="+", metavar="CRITERE=plus|moins", help="sens de chaque critère")
    parser.add_argument("--add", nargs="+", metavar="CODE", default=[], help="communes ajoutées (code INSEE)")
    parser.add_argument("--manquants", choices=list(MISSING_RULES), default="renormalise",
                        help="règle des valeurs manquantes")
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    args = parser.parse_args(argv)
    try:
        ranked = ranking(_pairs(args.weights, "Poids"), _pairs(args.sens, "Sens"), args.add, args.manquants)
    except ScoringError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(records(ranked), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in ranked.itertuples():
            flag = f"  (inconnu : {r.manquants})" if r.manquants else ""
            score = "  n.d." if math.isnan(r.score) else f"{r.score:6.1f}"
            print(f"{r.rang:>3}  {score}  {r.code_insee}  {r.nom}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
