"""The reference network of a territory: its sites as the network editor starts from them, and that reference
named in French. Pure functions of the :class:`~models.domain.territory.Territory` (the editors' changes are kept by
:mod:`models.stores.network`)."""
from __future__ import annotations

import pandas as pd

from models.domain.territory import Territory
from models.text import fr_format as F

SITE_COLUMNS = ["site_id", "code_insee", "nom", "commune", "type", "fiabilite", "origine", "lon", "lat", "precision",
                "source", "source_label", "uai", "adresse", "date_ouverture"]


def reference_network(territory: Territory | None = None) -> pd.DataFrame:
    """The reference sites, each at its own coordinates: :data:`SITE_COLUMNS`, origine = "référence".

    The official MESR implantations (2017) first, then the sites only the press attests (lower trust).
    """
    s = (territory or Territory.from_geodata()).sites
    out = s[[c for c in SITE_COLUMNS if c in s.columns]].copy()
    out["code_insee"] = out["code_insee"].astype(str)
    out["origine"] = "référence"
    return out.reset_index(drop=True)


def reference_label(territory: Territory | None = None) -> str:
    """Which reference the network starts from, in French, e.g. "implantations MESR, état 2017 : 19 sites ;
    + 2 sites attestés par la presse"."""
    s = (territory or Territory.from_geodata()).sites
    source = s["source"] if "source" in s else pd.Series("", index=s.index)
    n_mesr, n_other = int((source == "mesr").sum()), int((source != "mesr").sum())
    parts = [f"implantations MESR, état 2017 : {F.plural(n_mesr, 'site')}"] if n_mesr else []
    if n_other:
        parts.append(f"+ {F.plural(n_other, 'site')} attesté{'s' if n_other > 1 else ''} par la presse")
    return " ; ".join(parts) or "aucun site de référence"
