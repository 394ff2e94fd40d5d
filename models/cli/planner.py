"""``python -m models.planner``: choose new sites from the command line (see :mod:`models.domain.planning`)."""
from __future__ import annotations

import json
import sys

from models.domain.catchment import WEIGHTS
from models.domain.coverage import check_minutes
from models.domain.planning import (CANDIDATE_SETS, DEFAULT_BV_MIN_POPULATION, DEFAULT_CONCEPT, OBJECTIVES, PlanRequest,
                                    plan)
from models.domain.travel import TravelSettings
from models.text.arguments import FrenchArgumentParser, fail, split_codes


def _parser() -> FrenchArgumentParser:
    p = FrenchArgumentParser(prog="python -m models.planner",
                             description="Choix de nouveaux sites Cnam (couverture ou apprenants, temps estimés).")
    p.add_argument("--k", type=int, default=12, help="nombre maximal de nouveaux sites (défaut 12)")
    p.add_argument("--minutes", type=float, default=30, help="seuil de temps (5 à 180 min, défaut 30)")
    p.add_argument("--method", default="greedy", choices=["greedy", "exact"], help="méthode")
    p.add_argument("--objectif", default="population", choices=list(OBJECTIVES),
                   help="population couverte, ou apprenants nets attendus (modèle de demande)")
    p.add_argument("--candidates", default="acv", choices=list(CANDIDATE_SETS), help="ensemble de candidats")
    p.add_argument("--bv-min-population", type=int, default=DEFAULT_BV_MIN_POPULATION,
                   help="population minimale d'une commune-centre de bassin de vie")
    p.add_argument("--petites-communes", action="store_true",
                   help="garder les communes de moins de 5 000 habitants (sous les conditions d'accueil des concepts)")
    p.add_argument("--add", help="communes candidates ajoutées (codes INSEE séparés par des virgules)")
    p.add_argument("--sites", help="sites existants (défaut : réseau de référence)")
    p.add_argument("--weight", default="population", choices=list(WEIGHTS), help="pondération de la demande")
    p.add_argument("--travel-model", default="calibre", choices=["calibre", "regle_1_3"],
                   help="modèle de temps (calibré sur des temps routés, ou l'ancienne règle ×1,3 à 60 km/h)")
    p.add_argument("--time-factor", type=float, default=1.0, help="facteur appliqué aux temps (0,5 à 2)")
    p.add_argument("--rule", default="auto", choices=["auto", "1", "0"],
                   help="règle de l'appel à candidatures : au plus 25 %% de sites hors « Action cœur de ville » "
                        "(auto : appliquée si des candidats sont hors ACV)")
    p.add_argument("--concept", default=DEFAULT_CONCEPT, help="concept des nouveaux sites (attrait, point mort, coût)")
    p.add_argument("--viable", action="store_true", help="exiger que chaque nouveau site atteigne son point mort")
    p.add_argument("--budget", type=float, help="budget total de financement public années 0–3 (€)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    return p


def main(argv=None) -> int:
    a = _parser().parse_args(argv)
    if a.k < 0:
        return fail(f"le nombre de sites doit être positif ou nul (reçu {a.k}).")
    try:
        minutes = check_minutes(a.minutes)
        TravelSettings(a.travel_model, a.time_factor)
        if a.sites is None:
            from models.stores.network import reference_label, reference_network

            existing, version = reference_network(), reference_label()
        else:
            existing, version = split_codes(a.sites), "liste --sites (sites placés à la mairie)"
        request = PlanRequest(minutes, a.weight, a.travel_model, a.time_factor, a.candidates, a.bv_min_population,
                              tuple(split_codes(a.add)), False, a.concept, a.viable, a.budget, a.k, a.method,
                              a.rule, a.objectif, a.petites_communes)
        outcome = plan(request, existing, version, time_limit=60.0)
    except (KeyError, ValueError) as err:
        return fail(str(err.args[0]) if err.args else str(err))
    res = outcome.result
    sites = json.loads(outcome.sites.to_json(orient="records", force_ascii=False))
    out = res.to_dict() | {"candidates": a.candidates, "candidate_count": outcome.candidates, "minutes": minutes,
                           "weight": a.weight, "estimated": True, "network_version": version,
                           "concept": outcome.economics, "headline": outcome.headline(), "sites": sites}
    if outcome.demand is not None:
        out["net_new_learners"] = [outcome.demand.net_new_low, outcome.demand.net_new, outcome.demand.net_new_high]
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        from models.text import fr_format as F

        method = {"exact": "optimal garanti", "greedy": "rapide"}[res.method]
        print(f"Méthode {method} ({res.status}, {F.seconds(res.seconds)}), objectif {OBJECTIVES[a.objectif]} : "
              f"couverture {F.pct(100 * out['covered_share'])} de la population à {F.num_short(minutes)} min (estimée) "
              f"({version})." + ("" if outcome.eligibility is None else
                                 " Règle des 25 % hors « Action cœur de ville » appliquée."))
        print(outcome.headline())
        for s in outcome.sites.itertuples():
            learners = "" if "expected_learners" not in outcome.sites else (
                f"  {F.num(s.expected_learners):>5} apprenants ({F.num(s.low)} à {F.num(s.high)})")
            print(f"  {s.ordre:>2}. {s.nom:<28} +{F.num(s.gain):>9}{learners}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
