"""Petites villes de demain (ANCT, list of 22 January 2021) → ``pvd.parquet``, one row per labelled commune of the region.

    python -m geodata.build_pvd          # prints the region's rows, the unmatched ones and the name differences

Rows are kept when their département is one of the region's; each is matched to a commune of ``communes.parquet``
by its INSEE code. A row whose code is not a commune of the region is never dropped silently: it is listed
(``non_apparies``) and reported by ``python -m geodata.check``. Names that differ from the commune's (the source
writes the article: « La Broque » for « Broque ») are listed too, for information. The point is the commune's
town-hall point (the source has no coordinates).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from geodata.rawio import read_csv, to_number

FILE = "pvd/petites_villes_de_demain_2021-01-22.csv"
COLUMNS = ["insee_com", "lib_com", "lib_reg", "insee_dep", "lib_dep", "regroupement", "pop", "date_signature",
           "siren_epci", "lib_epci"]
VINTAGE = "2021-01"


def _blank(s: pd.Series) -> pd.Series:
    """The source writes « NA » for an empty cell."""
    s = s.str.strip()
    return s.where(~s.isin(["", "NA"]))


def pvd(raw: Path, communes: pd.DataFrame, departements: list[str]) -> tuple[pd.DataFrame, dict]:
    """The labelled communes of the region's ``departements`` matched to ``communes`` (by code).

    Returns the table (``code_insee``, ``nom``, ``departement``, ``departement_nom``, ``nom_source``,
    ``population_source`` (the source's figure, year not stated), ``epci_siren``, ``epci_nom``, ``regroupement``,
    ``date_signature``, ``lon``, ``lat``, ``precision``) and the match report (``lignes_region``,
    ``non_apparies``: rows whose code is not a commune of the region, ``noms_differents``).
    """
    p = raw / FILE
    src = read_csv(p, COLUMNS)
    pop = to_number(src, "pop", p)
    region = src[src.insee_dep.isin(departements)].copy()
    region["pop"] = pop[region.index]
    com = communes.set_index("code_insee")
    matched = region.insee_com.isin(com.index)
    unmatched = [{"code_insee": r.insee_com, "nom": r.lib_com, "departement": r.insee_dep, "ligne": int(i) + 2}
                 for i, r in region[~matched].iterrows()]
    ok = region[matched]
    c = com.loc[ok.insee_com]
    out = pd.DataFrame({
        "code_insee": ok.insee_com.to_numpy(), "nom": c["nom"].to_numpy(), "departement": ok.insee_dep.to_numpy(),
        "departement_nom": ok.lib_dep.to_numpy(), "nom_source": ok.lib_com.to_numpy(),
        "population_source": ok["pop"].to_numpy(float), "epci_siren": _blank(ok.siren_epci).to_numpy(),
        "epci_nom": _blank(ok.lib_epci).to_numpy(), "regroupement": _blank(ok.regroupement).to_numpy(),
        "date_signature": _blank(ok.date_signature).to_numpy(),
        "lon": c["lon"].to_numpy(float), "lat": c["lat"].to_numpy(float), "precision": "mairie de la commune"})
    out = out.sort_values("code_insee").reset_index(drop=True)
    renamed = out[out.nom != out.nom_source]
    report = {"lignes_region": int(len(region)), "appariees": int(len(out)), "non_apparies": unmatched,
              "noms_differents": [{"code_insee": r.code_insee, "source": r.nom_source, "commune": r.nom}
                                  for r in renamed.itertuples()]}
    return out, report


def main(argv: list[str] | None = None) -> int:
    import geodata

    root = Path(__file__).resolve().parent.parent
    deps = sorted(geodata.communes().departement.unique())
    table, report = pvd(root.parent / "shared" / "raw", geodata.communes(), deps)
    print(f"{report['lignes_region']} lignes de la région, {report['appariees']} appariées ; "
          f"non appariées : {report['non_apparies']} ; noms différents : {len(report['noms_differents'])}")
    print(table.groupby("departement").size().to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
