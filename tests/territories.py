"""Small real-shaped territories for the model tests (no module swapping: models take a Territory).

``line_territory`` puts communes on a line of longitudes at latitude 48.5, 0.1° apart (≈ 7.4 km), so that times
are easy to reason about; neighbours are consecutive communes.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from models.domain.territory import Territory

LAT = 48.5


def line_communes(populations, step_deg: float = 0.1, departements=None) -> pd.DataFrame:
    n = len(populations)
    codes = [f"99{i:03d}" for i in range(n)]
    deps = departements or ["54" if i < n / 2 else "57" for i in range(n)]
    return pd.DataFrame({
        "code_insee": codes,
        "nom": [f"Commune {i}" for i in range(n)],
        "departement": deps,
        "departement_nom": ["Meurthe-et-Moselle" if d == "54" else "Moselle" for d in deps],
        "epci_code": [f"E{i // 3}" for i in range(n)],
        "epci_nom": [f"EPCI {i // 3}" for i in range(n)],
        "ze_code": [f"Z{i // 4}" for i in range(n)],
        "ze_nom": [f"ZE {i // 4}" for i in range(n)],
        "bv_code": [codes[(i // 3) * 3] for i in range(n)],
        "bv_nom": [f"BV {i // 3}" for i in range(n)],
        "population": np.asarray(populations, dtype=np.int64),
        "pop_1564": np.asarray(populations, dtype=float) * 0.6,
        "actifs_1564": np.asarray(populations, dtype=float) * 0.45,
        "demandeurs_emploi": [float(p) * 0.05 if i % 2 == 0 else np.nan for i, p in enumerate(populations)],
        "lon": 5.0 + step_deg * np.arange(n),
        "lat": np.full(n, LAT),
        "is_acv": [i % 4 == 1 for i in range(n)],
    })


def line_territory(populations, sites=(), step_deg: float = 0.1) -> Territory:
    """Communes on a line, consecutive ones neighbours, reference sites at the town halls of ``sites``."""
    com = line_communes(populations, step_deg)
    pairs = [(com.code_insee[i], com.code_insee[i + 1]) for i in range(len(com) - 1)]
    nb = pd.DataFrame(pairs + [(b, a) for a, b in pairs], columns=["code_insee", "voisin"])
    at = com[com.code_insee.isin(sites)]
    site_df = pd.DataFrame({"site_id": [f"S{i}" for i in range(len(at))], "code_insee": at.code_insee.to_numpy(),
                            "nom": [f"Cnam {n}" for n in at.nom], "commune": at.nom.to_numpy(), "type": "centre",
                            "fiabilite": "test", "source": "test", "lon": at.lon.to_numpy(), "lat": at.lat.to_numpy()})
    acv = com[com.is_acv][["code_insee", "nom", "lon", "lat"]].reset_index(drop=True)
    return Territory(com, nb, site_df, {"acv": acv}, "Territoire de test")
