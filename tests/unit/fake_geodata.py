"""A tiny hand-made region standing in for ``geodata`` in the coverage/planner unit tests.

Communes on a line of longitudes at latitude 48.5, 0.1° apart (≈ 7.4 km), so that times are easy to
reason about; neighbours are consecutive communes.
"""
from __future__ import annotations

import sys
import types

import numpy as np
import pandas as pd

LAT = 48.5


def make_communes(populations, step_deg=0.1, departements=None):
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
        "demandeurs_emploi": [float(p) * 0.05 if i % 2 == 0 else np.nan for i, p in enumerate(populations)],
        "lon": 5.0 + step_deg * np.arange(n),
        "lat": np.full(n, LAT),
        "is_acv": [i % 4 == 1 for i in range(n)],
    })


def install(monkeypatch, communes: pd.DataFrame, sites_codes=()):
    """Put a fake ``geodata`` module in ``sys.modules`` and clear the caches of the models that read it."""
    fake = types.ModuleType("geodata")
    fake.communes = lambda: communes
    pairs = [(communes.code_insee[i], communes.code_insee[i + 1]) for i in range(len(communes) - 1)]
    nb = pd.DataFrame(pairs + [(b, a) for a, b in pairs], columns=["code_insee", "voisin"])
    fake.commune_neighbours = lambda: nb
    sites = communes[communes.code_insee.isin(sites_codes)]
    fake.cnam_sites = lambda: pd.DataFrame({
        "site_id": [f"S{i}" for i in range(len(sites))], "code_insee": sites.code_insee.to_numpy(),
        "nom": [f"Cnam {n}" for n in sites.nom], "commune": sites.nom.to_numpy(), "type": "centre",
        "fiabilite": "test", "source": "test", "date_source": "2024", "lon": sites.lon.to_numpy(),
        "lat": sites.lat.to_numpy(), "precision": "commune"})
    acv = communes[communes.is_acv]
    fake.acv = lambda: pd.DataFrame({"code_insee": acv.code_insee.to_numpy(), "nom": acv.nom.to_numpy(),
                                     "id_acv": range(len(acv)), "lon": acv.lon.to_numpy(), "lat": acv.lat.to_numpy()})
    monkeypatch.setitem(sys.modules, "geodata", fake)
    clear_caches()
    return fake


def clear_caches():
    import importlib

    for name in ["models.travel", "models.catchment", "models.coverage", "models.planner"]:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == name:
                value.cache_clear()
