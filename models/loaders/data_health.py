"""Is the data usable? Checked once at start-up (app.py) and by ``python -m geodata.check``.

Every committed geodata file is read by its own loader and validated against a schema: columns and their types,
missing values where none may be, value ranges (coordinates inside the region or France, rates within 0–100,
counts ≥ 0), unique codes, references to known communes, the GeoJSON feature counts equal to the communes and the
départements. ``models/parameters.toml`` and ``models/travel_calibration.json`` are read and checked too (types,
finite numbers, ranges). A damaged file gives a French diagnosis naming it and the way to repair it; the app then
shows that page instead of every page (app.py): the server starts and answers, and no figure is ever computed from
damaged data (NaN coordinates would otherwise make the nearest Cnam site of Nancy be Charleville's).

The objects validated are the ones the app then uses: the loaders and ``load_catalogue``/``calibration`` are
cached, so what passed the check is what the pages read.
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass

import pandas as pd

log = logging.getLogger("atlas")
REBUILD = "python -m geodata.build"
# loader → file it reads (the loaders' names do not always match their file)
FILES = {"communes": "communes.parquet", "commune_shapes": "communes_geom.parquet",
         "commune_neighbours": "communes_voisins.parquet", "departements": "departements.parquet",
         "chomage_ze_series": "chomage_ze.parquet", "demandeurs_series": "demandeurs_emploi.parquet",
         "sources": "sources.json"}
REPAIR = {"models/parameters.toml": "Restaurez models/parameters.toml depuis le dépôt (git checkout -- "
                                    "models/parameters.toml) ou corrigez la ligne fautive",
          "models/travel_calibration.json": "Recalculez-le avec « python -m models.travel --fit » (ou restaurez-le "
                                            "depuis le dépôt)"}


@dataclass(frozen=True)
class DataProblem:
    file: str      # file name (geodata files) or path from the repository root (models/…)
    detail: str

    @property
    def path(self) -> str:
        return self.file if "/" in self.file else f"geodata/{self.file}"

    @property
    def message(self) -> str:
        repair = REPAIR.get(self.path, f"Reconstruisez les données avec « {REBUILD} » (ou restaurez le dossier "
                                       f"geodata/ du dépôt)")
        return f"Données indisponibles : le fichier {self.path} est {self.detail}. {repair}, puis redémarrez l'atlas."


# ------------------------------------------------------------------------------------------------ schemas
@dataclass(frozen=True)
class Col:
    kind: str                  # "str", "num", "int", "bool", "geometry"
    lo: float | None = None
    hi: float | None = None
    null: bool = False         # missing values allowed


S, S0 = Col("str"), Col("str", null=True)
LON, LAT = Col("num", 2.5, 8.7), Col("num", 46.8, 50.8)   # Grand Est and the 40 km belt of the TER stops
COUNT = Col("int", 0, 1e7)
RATE = Col("num", 0, 100, null=True)
POINTS = {"code_insee": S, "nom": S, "lon": LON, "lat": LAT}

SCHEMAS: dict[str, dict] = {
    "communes": {"key": ["code_insee"], "cols": {
        "code_insee": S, "nom": S, "departement": S, "population": COUNT, "lon": LON, "lat": LAT,
        "epci_code": S, "ze_code": S, "bv_code": S, "bmo_code": S, "superficie_km2": Col("num", 0.01, 1000),
        "densite": Col("int", 1, 7), "pop_1564": COUNT, "actifs_1564": COUNT, "chomeurs_1564": COUNT,
        "chomage_ze": RATE, "taux_pauvrete": RATE, "revenu_median": Col("num", 1000, 200_000, null=True),
        "demandeurs_emploi": Col("num", 0, 1e6, null=True), "emplois": Col("num", 0, 1e7, null=True),
        "is_acv": Col("bool")}},
    "commune_shapes": {"key": ["code_insee"], "cols": {"code_insee": S, "geometry": Col("geometry")}},
    "commune_neighbours": {"key": ["code_insee", "voisin"], "cols": {"code_insee": S, "voisin": S}},
    "departements": {"key": ["departement"], "cols": {"departement": S, "departement_nom": S,
                                                      "geometry": Col("geometry")}},
    "acv": {"key": ["code_insee"], "cols": POINTS},
    "lycees": {"key": ["uai"], "cols": {**POINTS, "uai": S, "voie_pro": Col("bool"),
                                        "effectif_voie_pro": Col("num", 0, 10_000, null=True)}},
    "missions_locales": {"key": ["code_structure"], "cols": POINTS},
    "cnam_sites": {"key": ["site_id"], "cols": {**POINTS, "site_id": S, "commune": S, "source": S}},
    "cnam_sites_france": {"key": ["uai"], "cols": {"uai": S, "nom": S, "code_insee": S0, "code_region": S,
                                                   "lon": Col("num", -180, 180), "lat": Col("num", -90, 90)}},
    "enseignement_superieur": {"key": ["uai"], "cols": {**POINTS, "formation": Col("bool")}},
    "ter_arrets": {"key": ["stop_id"], "cols": {"stop_id": S, "nom": S, "lon": LON, "lat": LAT, "code_insee": S0,
                                                "train": Col("bool"), "car": Col("bool"), "tram_train": Col("bool")}},
    "france_services": {"key": ["id_fs"], "cols": POINTS},
    "france_travail": {"key": ["code_safir"], "cols": POINTS},
    "chomage_ze_series": {"key": ["ze_code", "trimestre"], "cols": {"ze_code": S, "trimestre": S,
                                                                    "taux": Col("num", 0, 100)}},
    "demandeurs_series": {"key": None, "cols": {"code_geo": S, "niveau": S, "mois": S, "demandeurs": COUNT}},
    "bmo": {"key": None, "cols": {"bmo_code": S, "fap_code": S, "projets": Col("num", 0, 1e6, null=True)}},
}
# point layers whose code_insee must name a commune of the region (the TER stops outside have none)
COMMUNE_REFS = ("acv", "lycees", "missions_locales", "cnam_sites", "enseignement_superieur", "ter_arrets",
                "france_services", "france_travail", "commune_shapes", "commune_neighbours")
KIND_LABEL = {"str": "texte", "num": "nombre", "int": "entier", "bool": "booléen", "geometry": "géométrie"}


class _Bad(Exception):
    """One finding about a file (French detail)."""


def _kind_ok(series: pd.Series, kind: str) -> bool:
    t = pd.api.types
    if kind == "str":
        if t.is_string_dtype(series.dtype) and not t.is_object_dtype(series.dtype):
            return True
        return t.is_object_dtype(series.dtype) and series.dropna().map(lambda v: isinstance(v, str)).all()
    if kind == "bool":
        return t.is_bool_dtype(series.dtype)
    if kind == "int":
        return t.is_integer_dtype(series.dtype) or (
            t.is_float_dtype(series.dtype) and bool((series.dropna() % 1 == 0).all()))
    if kind == "num":
        return t.is_numeric_dtype(series.dtype) and not t.is_bool_dtype(series.dtype)
    return getattr(series, "geom_type", None) is not None


def _number(x) -> str:
    return f"{x:g}".replace(".", ",").replace("-", "−")


def validate_table(name: str, data) -> None:
    """Raise :class:`_Bad` (French) at the first column of ``data`` that breaks the schema of ``name``."""
    schema = SCHEMAS.get(name)
    if schema is None:
        return
    if not hasattr(data, "columns"):
        raise _Bad("illisible (ce n'est pas une table)")
    if len(data) == 0:
        raise _Bad("vide")
    missing = [c for c in schema["cols"] if c not in data.columns]
    if missing:
        raise _Bad(f"incomplet (colonne manquante : {', '.join(missing)})")
    for col, spec in schema["cols"].items():
        s = data[col]
        if not _kind_ok(s, spec.kind):
            raise _Bad(f"invalide (colonne {col} : type {s.dtype} au lieu de {KIND_LABEL[spec.kind]})")
        if spec.kind == "geometry":
            if (s.isna() | s.is_empty).any():
                raise _Bad(f"invalide (colonne {col} : {int((s.isna() | s.is_empty).sum())} géométrie(s) vide(s))")
            continue
        if spec.kind in ("num", "int"):
            values = pd.to_numeric(s, errors="coerce").astype("float64")
            nan = values.isna()
            if nan.any() and not spec.null:
                where = data.loc[nan].iloc[0]
                raise _Bad(f"invalide (colonne {col} : {int(nan.sum())} valeur(s) manquante(s) ou non numérique(s), "
                           f"dont la ligne {_row_label(where)})")
            v = values[~nan]
            if not v.map(math.isfinite).all():
                raise _Bad(f"invalide (colonne {col} : valeur infinie)")
            out = v[((v < spec.lo) if spec.lo is not None else False) | ((v > spec.hi) if spec.hi is not None else False)]
            if len(out):
                raise _Bad(f"invalide (colonne {col} : {len(out)} valeur(s) hors de [{_number(spec.lo)} ; "
                           f"{_number(spec.hi)}], par exemple {_number(out.iloc[0])} à la ligne "
                           f"{_row_label(data.loc[out.index[0]])})")
        elif not spec.null and s.isna().any():
            raise _Bad(f"invalide (colonne {col} : {int(s.isna().sum())} valeur(s) manquante(s))")
    key = schema.get("key")
    if key:
        dup = data[data.duplicated(key, keep=False)]
        if len(dup):
            first = ", ".join(str(dup.iloc[0][k]) for k in key)
            raise _Bad(f"invalide (code en double dans {' + '.join(key)} : {first})")


def _row_label(row) -> str:
    for k in ("code_insee", "site_id", "uai", "stop_id", "ze_code", "code_geo"):
        if k in row.index and isinstance(row[k], str):
            return f"{k} {row[k]}"
    return str(row.name)


def _geojson_features(path) -> list:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.error("%s illisible : %s", path.name, exc)
        raise _Bad("illisible (tronqué ou corrompu)") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise _Bad("invalide (pas une FeatureCollection GeoJSON)")
    return doc["features"]


def _geojson_checks(geodata, tables: dict) -> list[DataProblem]:
    found = []
    for path, table, key, what in ((geodata.COMMUNES_GEOJSON, "communes", "code_insee", "communes"),
                                   (geodata.DEPARTEMENTS_GEOJSON, "departements", "departement", "départements")):
        if not path.exists():
            found.append(DataProblem(path.name, "absent"))
            continue
        try:
            features = _geojson_features(path)
            expected = tables.get(table)
            if expected is None:
                continue
            ids = [f.get("id") if isinstance(f, dict) else None for f in features]
            if len(features) != len(expected) or set(ids) != set(expected[key]):
                raise _Bad(f"incomplet ({len(features)} contours pour {len(expected)} {what} ; "
                           f"{len(set(expected[key]) - set(ids))} {what} sans contour)")
            if any(not isinstance(f.get("geometry"), dict) or not f["geometry"].get("coordinates") for f in features):
                raise _Bad("invalide (contour vide)")
        except _Bad as bad:
            found.append(DataProblem(path.name, str(bad)))
    return found


def _parameters_problem() -> DataProblem | None:
    from models.domain import demand, simulator

    name = "models/parameters.toml"
    try:
        cat = simulator.load_catalogue()
        demand.assumptions()
    except FileNotFoundError:
        return DataProblem(name, "absent")
    except Exception as exc:  # noqa: BLE001 - a syntax error, a text where a number is expected, a missing key
        log.error("%s illisible : %s", name, exc)
        return DataProblem(name, f"invalide ({_short(exc)})")
    for concept in cat.concepts.values():
        for spec in concept.specs.values():
            if not all(map(math.isfinite, (spec.default, spec.min, spec.max))) or spec.min > spec.max:
                return DataProblem(name, f"invalide (paramètre {spec.name} : bornes ou défaut non fini)")
    return None


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, KeyError):
        text = f"clé manquante {exc}"
    elif isinstance(exc, (TypeError, ValueError)) and "parameters.toml" not in text:
        text = f"valeur illisible : {text}"
    return text[:160]


def _calibration_problem() -> DataProblem | None:
    from models.domain import travel

    name = "models/travel_calibration.json"
    try:
        cal = travel.calibration()
    except FileNotFoundError:
        return DataProblem(name, "absent")
    except (OSError, ValueError) as exc:
        log.error("%s illisible : %s", name, exc)
        return DataProblem(name, "illisible (tronqué ou corrompu)")
    try:
        c = cal["coefficients"] if isinstance(cal, dict) else None
        if not isinstance(c, dict):
            raise _Bad("incomplet (coefficients absents)")
        access, knots, slopes = c.get("access_min"), c.get("knots_km"), c.get("slopes_min_per_km")
        numbers = [access] + (knots if isinstance(knots, list) else [None]) + (slopes if isinstance(slopes, list) else [None])
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in numbers):
            raise _Bad("invalide (coefficient manquant, non numérique ou non fini)")
        if not 0 <= access <= 60 or len(knots) != len(slopes) or not knots or knots[0] != 0 \
                or any(b <= a for a, b in zip(knots, knots[1:])) or not all(0.2 <= s <= 5 for s in slopes):
            raise _Bad("invalide (coefficients hors de leurs plages : accès 0–60 min, pentes 0,2–5 min/km, "
                       "seuils croissants depuis 0)")
        metrics = cal.get("metrics")
        if not isinstance(metrics, dict):
            raise _Bad("incomplet (mesures d'erreur absentes)")
        travel.calibrated_curve()
    except _Bad as bad:
        return DataProblem(name, str(bad))
    except Exception as exc:  # noqa: BLE001
        log.error("%s invalide : %s", name, exc)
        return DataProblem(name, f"invalide ({_short(exc)})")
    return None


def problems(loaders=None) -> list[DataProblem]:
    """Every problem found (one per damaged file), in the order of the loaders; [] when all is well."""
    import geodata

    found, tables = [], {}
    for loader in loaders or geodata.LOADERS:
        path = geodata.DIR / _file_of(loader)
        if not path.exists():
            found.append(DataProblem(path.name, "absent"))
            continue
        try:
            data = loader()
        except Exception as exc:  # noqa: BLE001 - any reading error is a damaged file
            log.error("geodata/%s illisible : %s", path.name, exc)
            found.append(DataProblem(path.name, "illisible (tronqué ou corrompu)"))
            continue
        try:
            if loader.__name__ == "sources":
                if not isinstance(data, dict) or not isinstance(data.get("datasets"), dict):
                    raise _Bad("incomplet (section datasets absente)")
            else:
                validate_table(loader.__name__, data)
        except _Bad as bad:
            found.append(DataProblem(path.name, str(bad)))
            continue
        tables[loader.__name__] = data
    communes = tables.get("communes")
    if communes is not None:
        codes = communes.code_insee
        for name in COMMUNE_REFS:
            table = tables.get(name)
            if table is None:
                continue
            cols = [c for c in ("code_insee", "voisin") if c in table.columns]
            values = pd.concat([table[c].dropna() for c in cols])
            unknown = sorted(set(values[~values.isin(codes)]))
            if unknown:
                found.append(DataProblem(_file_of(getattr(geodata, name)),
                                         f"invalide ({len(unknown)} code(s) commune inconnu(s), dont {unknown[0]})"))
            elif name == "commune_shapes" and len(table) != len(communes):
                found.append(DataProblem("communes_geom.parquet",
                                         f"incomplet ({len(table)} contours pour {len(communes)} communes)"))
    if loaders is None:
        found += _geojson_checks(geodata, tables)
        for extra in (_parameters_problem(), _calibration_problem()):
            if extra:
                found.append(extra)
    return found


def check(loaders=None) -> DataProblem | None:
    """The first problem found (missing, unreadable, ill-typed, out-of-range file), or None when all is well."""
    found = problems(loaders)
    for p in found:
        log.error(p.message)
    return found[0] if found else None


def _file_of(loader) -> str:
    name = loader.__name__
    return FILES.get(name, f"{name}.parquet")
