"""Is geodata/ usable? Checked once at start-up: every committed file is read by its loader, the columns the
pages rely on are present. A damaged or missing file gives a French diagnosis naming it and the rebuild command;
the app then shows that page instead of every page (app.py) rather than dying with a traceback.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger("atlas")
REBUILD = "python -m geodata.build"
# loader → file it reads (the loaders' names do not always match their file)
FILES = {"communes": "communes.parquet", "commune_shapes": "communes_geom.parquet",
         "commune_neighbours": "communes_voisins.parquet", "departements": "departements.parquet",
         "chomage_ze_series": "chomage_ze.parquet", "demandeurs_series": "demandeurs_emploi.parquet",
         "sources": "sources.json"}
REQUIRED_COLUMNS = {"communes": ["code_insee", "nom", "departement", "population", "lon", "lat", "epci_code", "ze_code", "bv_code"],
                    "cnam_sites": ["site_id", "code_insee", "nom"]}


@dataclass(frozen=True)
class DataProblem:
    file: str
    detail: str

    @property
    def message(self) -> str:
        return (f"Données indisponibles : le fichier geodata/{self.file} est {self.detail}. Reconstruisez les "
                f"données avec « {REBUILD} » (ou restaurez le dossier geodata/ du dépôt), puis redémarrez l'atlas.")


def _file_of(loader) -> str:
    name = loader.__name__
    return FILES.get(name, f"{name}.parquet")


def check(loaders=None) -> DataProblem | None:
    """The first problem found in geodata/ (missing, unreadable or incomplete file), or None when all is well."""
    import geodata

    for loader in loaders or geodata.LOADERS:
        path = geodata.DIR / _file_of(loader)
        if not path.exists():
            return DataProblem(path.name, "absent")
        try:
            data = loader()
        except Exception as exc:  # noqa: BLE001 - any reading error is a damaged file
            log.error("geodata/%s illisible : %s", path.name, exc)
            return DataProblem(path.name, "illisible (tronqué ou corrompu)")
        missing = [c for c in REQUIRED_COLUMNS.get(loader.__name__, []) if c not in getattr(data, "columns", [])]
        if missing:
            return DataProblem(path.name, f"incomplet (colonne manquante : {', '.join(missing)})")
        if hasattr(data, "__len__") and len(data) == 0:
            return DataProblem(path.name, "vide")
    for geo in (geodata.COMMUNES_GEOJSON, geodata.DEPARTEMENTS_GEOJSON):
        if not geo.exists() or geo.stat().st_size == 0:
            return DataProblem(geo.name, "absent")
    return None
