"""The bin of soft-deleted scenarios and weightings: list them, restore one (audited), see the audit trail.

    python -m models.trash list
    python -m models.trash restore scenario 12 --par "Claire Martin"
    python -m models.trash restore ponderation 3 --par "Claire Martin"
    python -m models.trash audit
"""
from __future__ import annotations

import sys

from models.text.arguments import FrenchArgumentParser
from models.stores.scenarios import ScenarioError
from models.stores.scenarios import default_store as scenario_store
from models.stores.weightings import WeightingError
from models.stores.weightings import default_store as weighting_store

KINDS = {"scenario": scenario_store, "ponderation": weighting_store}


def main(argv=None) -> int:
    p = FrenchArgumentParser(prog="python -m models.trash", description="Corbeille des scénarios et pondérations.")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="éléments supprimés (restaurables)")
    r = sub.add_parser("restore", help="restaurer un élément")
    r.add_argument("kind", choices=sorted(KINDS))
    r.add_argument("id")
    r.add_argument("--par", required=True, help="nom de la personne qui restaure (journal)")
    sub.add_parser("audit", help="journal des suppressions et restaurations")
    args = p.parse_args(argv)
    try:
        if args.cmd == "list":
            for kind, store in KINDS.items():
                for item in store().list(deleted=True):
                    print(f"{kind} {item.id} · {item.title}")
        elif args.cmd == "restore":
            KINDS[args.kind]().restore(args.id, args.par)
            print(f"{args.kind} n° {args.id} restauré.")
        else:
            rows = scenario_store().audit() + weighting_store().audit()
            for a in sorted(rows, key=lambda a: a.id):
                print(f"{a.at:%d/%m/%Y %H:%M} {a.who} : {a.action} {a.table_name} n° {a.record_id}")
    except (ScenarioError, WeightingError) as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
