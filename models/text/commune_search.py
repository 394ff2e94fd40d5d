"""Find the commune the user typed: the ordering behind every commune search box (pure Python, no Dash).

Names are compared folded (:func:`fold`): case, accents, hyphens, apostrophes and spaces do not count, and
"St" / "Ste" typed as a word read as "Saint" / "Sainte". Matches come in three tiers — the exact name, then the
names that start with the text, then the names that contain it — and within a tier the most populated first, so
typing "Verdun" and pressing Enter opens Verdun (55545), not Liverdun. Digits search the code INSEE.

``CommuneIndex.from_frame(geodata.communes())`` builds the index once; :meth:`CommuneIndex.search` answers.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

MIN_CHARS = 2
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}  # typed as a whole word: "St Dié" = "Saint-Dié"
EXACT, PREFIX, CONTAINS = 0, 1, 2
_SEPARATORS = re.compile(r"[-'’‐‑–—_.,/()]")


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces, one space between words.

    >>> fold("  Saint-Dié-des-Vosges ")
    'saint die des vosges'
    >>> fold("L’Épine")
    'l epine'
    """
    t = unicodedata.normalize("NFKD", str(text or "")).replace("œ", "oe").replace("Œ", "oe")
    t = t.replace("æ", "ae").replace("Æ", "ae").encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(_SEPARATORS.sub(" ", t).split())


def query_forms(query: str) -> list[str]:
    """The folded forms a typed text may mean: as typed, and with "st"/"ste" words read as "saint"/"sainte".

    >>> query_forms("St-Dié")
    ['st die', 'saint die']
    >>> query_forms("Metz")
    ['metz']
    """
    folded = fold(query)
    words = folded.split(" ")
    expanded = " ".join(ABBREVIATIONS.get(w, w) for w in words)
    return [folded] if expanded == folded else [folded, expanded]


def _squash(folded: str) -> str:
    return folded.replace(" ", "")


@dataclass(frozen=True)
class Match:
    code_insee: str
    nom: str
    departement: str
    departement_nom: str
    population: float
    tier: int  # EXACT, PREFIX or CONTAINS

    @property
    def label(self) -> str:
        return option_label(self.nom, self.departement, self.departement_nom, self.code_insee)


def option_label(nom: str, departement: str, departement_nom: str, code_insee: str) -> str:
    """What a search box shows for a commune: its name, its département (code and name) and its code INSEE, so
    that two communes of the same name can be told apart.

    >>> option_label("Verdun", "55", "Meuse", "55545")
    'Verdun (55) · Meuse · 55545'
    """
    return f"{nom} ({departement}) · {departement_nom} · {code_insee}"


class CommuneIndex:
    """The communes with their folded names, searched by :meth:`search`."""

    def __init__(self, codes, names, departements, departement_names, populations):
        self.table = pd.DataFrame({
            "code_insee": [str(c) for c in codes], "nom": [str(n) for n in names],
            "departement": [str(d) for d in departements], "departement_nom": [str(d) for d in departement_names],
            "population": pd.to_numeric(pd.Series(list(populations)), errors="coerce").fillna(0).to_numpy(),
        })
        self.table["key"] = [_squash(fold(n)) for n in self.table.nom]
        # population descending, then name and code: the order of ties inside a tier, fixed once
        self.table = self.table.sort_values(["population", "nom", "code_insee"],
                                            ascending=[False, True, True]).reset_index(drop=True)

    @classmethod
    def from_frame(cls, communes: pd.DataFrame) -> CommuneIndex:
        """From a communes table with ``code_insee``, ``nom``, ``departement``, ``departement_nom``, ``population``."""
        dep_names = communes["departement_nom"] if "departement_nom" in communes else communes["departement"]
        return cls(communes["code_insee"], communes["nom"], communes["departement"], dep_names,
                   communes["population"])

    def __len__(self) -> int:
        return len(self.table)

    def _row(self, i: int, tier: int) -> Match:
        r = self.table.iloc[i]
        return Match(r.code_insee, r.nom, r.departement, r.departement_nom, float(r.population), tier)

    def get(self, code: str) -> Match | None:
        hit = self.table.index[self.table.code_insee == str(code)]
        return self._row(int(hit[0]), EXACT) if len(hit) else None

    def search(self, query: str, limit: int | None = 12) -> list[Match]:
        """The communes matching ``query``, best first: exact name, then prefix, then the rest; within each tier
        by population (descending). Fewer than 2 characters: nothing. Digits: codes INSEE starting with them."""
        raw = str(query or "").strip()
        if len(fold(raw)) < MIN_CHARS:
            return []
        digits = raw.replace(" ", "")
        if digits.isdigit() or (len(digits) >= 2 and digits[:2].upper() in ("2A", "2B") and digits[2:].isdigit()):
            hits = self.table.index[self.table.code_insee.str.startswith(digits.upper())]
            tiers = pd.Series(PREFIX, index=hits)
            tiers[self.table.code_insee[hits] == digits] = EXACT
        else:
            keys = self.table.key
            tiers = pd.Series(CONTAINS + 1, index=self.table.index)
            for form in {_squash(f) for f in query_forms(raw)}:
                tier = pd.Series(CONTAINS + 1, index=keys.index)
                tier[keys.str.contains(form, regex=False)] = CONTAINS
                tier[keys.str.startswith(form)] = PREFIX
                tier[keys == form] = EXACT
                tiers = tiers.where(tiers <= tier, tier)
            tiers = tiers[tiers <= CONTAINS]
        # the table is already in population order: a stable sort on the tier keeps it inside each tier
        ordered = tiers.sort_values(kind="stable")
        if limit is not None:
            ordered = ordered.head(limit)
        return [self._row(int(i), int(t)) for i, t in ordered.items()]
