"""``python -m models.demand``: expected learners per site of a network, in French (text or JSON)."""
from __future__ import annotations

import json
import sys

from models.text import fr_format as F
from models.text.arguments import FrenchArgumentParser, fail, split_codes
from models.domain.territory import UnknownCommune


def _parser() -> FrenchArgumentParser:
    from models.domain.demand import CONCEPTS, DEFAULT_CONCEPT

    p = FrenchArgumentParser(prog="python -m models.demand",
                             description="Apprenants attendus par site (modèle gravitaire calé sur le total régional).")
    p.add_argument("--ajouter", help="communes où ouvrir un nouveau site (codes INSEE séparés par des virgules)")
    p.add_argument("--acv", action="store_true", help="ajouter un site dans chaque ville « Action cœur de ville »")
    p.add_argument("--concept", default=DEFAULT_CONCEPT, choices=list(CONCEPTS), help="concept des nouveaux sites")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    return p


def _text(res) -> None:
    print(f"Réseau : {F.num(res.total_before)} apprenants par an sans les nouveaux sites, {F.num(res.total_after)} "
          f"avec (+{F.num(res.net_new)}, fourchette {F.num(res.net_new_low)} à {F.num(res.net_new_high)}).")
    print(f"{'site':<48} {'central':>8} {'bas':>6} {'haut':>6} {'pris':>6} {'nets':>6}")
    for r in res.sites.itertuples():
        print(f"{r.nom[:48]:<48} {F.num(r.central):>8} {F.num(r.low):>6} {F.num(r.high):>6} "
              f"{F.num(r.drawn):>6} {F.num(r.net_new):>6}")
    print("pris : apprenants pris aux autres sites (site existant : qui iraient ailleurs s'il fermait) ; "
          "nets : apprenants en plus pour le Cnam.")


def main(argv=None) -> int:
    from models.domain import demand
    from models.domain.territory import Territory

    a = _parser().parse_args(argv)
    try:
        added = split_codes(a.ajouter)
        if a.acv:
            com = Territory.from_geodata().communes
            added += list(com.loc[com["is_acv"].astype(bool), "code_insee"])
        from models.stores.network import reference_network

        res = demand.estimate(reference_network(), added, a.concept)
    except (UnknownCommune, KeyError, ValueError) as err:
        return fail(str(err.args[0]) if err.args else str(err))
    if a.json:
        print(json.dumps(res.to_dict() | {"controle_spatial": demand.spatial_check()}, ensure_ascii=False, indent=1))
    else:
        _text(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
