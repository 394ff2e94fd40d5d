"""``python -m models.concept_fit``: the command line of :mod:`models.domain.concept_fit` (arguments, French messages,
exit codes, printing); the rules live in the domain module."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict

from models.domain.concept_fit import concept_fit, verdict
from models.domain.territory import UnknownCommune
from models.text.arguments import FrenchArgumentParser, fail


def main(argv=None) -> int:
    parser = FrenchArgumentParser(prog="python -m models.concept_fit",
                                  description="Adéquation des concepts d'implantation à une commune.")
    parser.add_argument("code_insee", nargs="+")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        result = {c: {"concepts": [asdict(x) for x in concept_fit(c)], "verdict": asdict(verdict(c))}
                  for c in args.code_insee}
    except UnknownCommune as err:
        return fail(str(err))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for code, r in result.items():
        print(f"== {code} — {r['verdict']['headline']} Suggestion : {r['verdict']['reason']}")
        for x in r["concepts"]:
            print(f"  {x['label']} (adéquation {x['level']}, {x['score']:.2f})")
            for prefix, key in (("+", "has"), ("-", "lacks"), ("?", "unknown")):
                for t in x[key]:
                    print(f"    {prefix} {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
