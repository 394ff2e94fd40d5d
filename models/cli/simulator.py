"""``python -m models.simulator``: the command line of :mod:`models.domain.simulator` (arguments, French messages,
exit codes, printing); the rules live in the domain module."""
from __future__ import annotations

import json
import sys

from models.domain.simulator import ParameterError, concept, concept_ids, make_parameters, simulate
from models.domain.territory import UnknownCommune
from models.text import fr_format as F
from models.text.arguments import FrenchArgumentParser


def _ville_info(code: str, concept_id: str) -> dict:
    """Name and expected learners (demand model) of a site of ``concept_id`` in ``code``."""
    from models.domain.demand import town_estimate  # the simulator itself needs no geodata: only the CLI's --ville
    from models.domain.territory import Territory

    try:
        est = town_estimate(code, concept_id)
        nom = Territory.from_geodata().row(code)["nom"]
    except UnknownCommune as err:
        raise ParameterError(str(err)) from None
    return {"code_insee": code, "nom": nom, "apprenants_attendus": est}


def main(argv=None) -> int:
    parser = FrenchArgumentParser(prog="python -m models.simulator",
                           description="Simulateur de concepts d'implantation (années 0 à 6).")
    parser.add_argument("--concept", required=True, help=f"un de : {', '.join(concept_ids())}")
    parser.add_argument("--ville", help="code INSEE de la commune d'implantation")
    parser.add_argument("--set", action="extend", nargs="+", default=[], metavar="NOM=VALEUR",
                        help="change une ou plusieurs hypothèses (répétable)")
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    args = parser.parse_args(argv)
    try:
        values = {}
        for item in args.set:
            if "=" not in item:
                raise ParameterError(f"--set « {item[:60]} » : la forme attendue est nom=valeur.")
            name, value = item.split("=", 1)
            values[name.strip()] = value
        params = make_parameters(args.concept, values)
        ville = _ville_info(args.ville, args.concept) if args.ville else None
    except ParameterError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    result = simulate(params)
    out = result.to_dict()
    if ville:
        out["ville"] = ville
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    c = concept(args.concept)
    print(f"{c.label} — {c.target}")
    print(f"{'année':>5} {'auditeurs':>10} {'recettes':>12} {'coûts':>12} {'fin. public':>12} {'résultat':>12}")
    for y in result.years:
        print(f"{y['year']:>5} {F.num(y['learners']):>10} {F.num(y['revenue']):>12} {F.num(y['costs']):>12} "
              f"{F.num(y['public_funding']):>12} {F.num(y['net']):>12}")
    for k, val in result.kpis.items():
        print(f"{k}: {F.num_short(val) if isinstance(val, (int, float)) else 'jamais' if val is None else val}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
