"""The territory the models work on: communes, their points and weights, neighbours, point layers, sites.

Every model (coverage, catchment, planner, town facts) takes a :class:`Territory` instead of reading
``geodata`` itself, in the spirit of spopt's ``from_cost_matrix`` constructors. The app uses
``Territory.from_geodata()`` (the region of geodata/, built by models/loaders/region.py once per process); tests and notebooks build their own::

    from models.domain.territory import Territory
    from models.domain.coverage import coverage
    t = Territory.from_geodata().subset(codes_of_the_meuse)
    coverage(t.sites, 30, territory=t).covered_share

Commune codes are validated here and only here (:func:`check_code`, :class:`UnknownCommune`).
"""
from __future__ import annotations

from typing import Callable

from functools import cached_property

import numpy as np
import pandas as pd

from models.domain.travel import TravelSettings, minutes_between, unit_vectors
from models.text.inputs import CODE_PATTERN  # noqa: F401 (re-exported: the one shape of a commune code)

LAYERS = ("lycees", "missions_locales", "france_services", "france_travail", "acv", "ter_arrets",
          "enseignement_superieur", "pvd")


def sites_key(sites: pd.DataFrame) -> tuple:
    """Hashable identity of a network's sites (id and coordinates): the one cache key of every figure that depends
    on the network (town facts, demand, concept fit). Built from the sites themselves, not from
    ``Network.version``: a model takes any sites (a notebook's, a test's), and versions count per database."""
    return tuple(zip(sites["site_id"].astype(str), sites["lon"].round(6), sites["lat"].round(6)))


class UnknownCommune(KeyError):
    """A code that is not a commune of the territory (message in French)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "Commune inconnue"


def check_code(code_insee) -> str:
    """``code_insee`` stripped, if it has the shape of an INSEE code, else :class:`UnknownCommune`."""
    code = str(code_insee).strip() if code_insee is not None else ""
    if not CODE_PATTERN.match(code):
        shown = code[:20] + ("…" if len(code) > 20 else "")
        raise UnknownCommune(f"« {shown} » n'est pas un code commune INSEE (5 caractères, ex. 88160).")
    return code


class Territory:
    """Communes with their points, weights and zonings, contiguity, point layers and reference sites.

    Parameters
    ----------
    communes : DataFrame
        One row per commune: ``code_insee``, ``nom``, ``lon``, ``lat``, ``population`` and any zoning or
        indicator columns the models use (``departement``, ``epci_code``, ``ze_code``, ``bv_code``…).
    neighbours : DataFrame, optional
        Contiguity pairs ``code_insee``, ``voisin`` (both directions).
    sites : DataFrame, optional
        The reference network: ``site_id``, ``code_insee``, ``nom``, ``lon``, ``lat`` (+ source columns).
    layers : dict of str → DataFrame, optional
        Point layers (lycées, missions locales, TER stops…), each with ``lon``, ``lat``, ``code_insee``.
    name : str
        Shown in the UI (the region's name for the region's territory).
    region_code : str, optional
        INSEE code of the region the territory was built for (:mod:`models.loaders.region`).
    current_sites : callable, optional
        Gives the sites of the current network (the reference and the editors' changes): wired by whoever builds
        the territory (:mod:`models.loaders.region` reads the network store), so the domain never reads a store.
        Without it, the current network is the reference ``sites``.
    data : callable, optional
        Gives the territory's other datasets by name (:meth:`data`: job-seeker series, BMO, TER journeys, the
        sources manifest), wired by the loader that built it.
    """

    def __init__(self, communes: pd.DataFrame, neighbours: pd.DataFrame | None = None,
                 sites: pd.DataFrame | None = None, layers: dict | None = None, name: str = "territoire",
                 region_code: str | None = None, current_sites: Callable[[], pd.DataFrame] | None = None,
                 data: Callable[[str], object] | None = None):
        self.communes = communes.reset_index(drop=True)
        self.communes["code_insee"] = self.communes["code_insee"].astype(str)
        self.neighbours = neighbours if neighbours is not None else pd.DataFrame(columns=["code_insee", "voisin"])
        self.sites = (sites if sites is not None else pd.DataFrame(
            columns=["site_id", "code_insee", "nom", "lon", "lat"])).reset_index(drop=True)
        self.layers = dict(layers or {})
        self.name = name
        self.region_code = region_code
        self._current_sites = current_sites
        self._data = data
        self.memo: dict = {}  # per-territory caches of the models (keyed by the model's own names)

    @classmethod
    def from_geodata(cls) -> "Territory":
        """The region of the committed geodata (built once per process, :mod:`models.loaders.region`)."""
        from models.loaders.region import region_territory

        return region_territory()

    @classmethod
    def for_region(cls, code: str) -> "Territory":
        """The territory of region ``code`` (INSEE code, e.g. ``"44"``) from the committed geodata."""
        from models.loaders.region import territory_for_region

        return territory_for_region(code)

    def current_sites(self) -> pd.DataFrame:
        """The sites of the current network, each at its own coordinates (the one default network of the
        models: town facts, demand, concept fit, ranking, TER catchment)."""
        return self._current_sites() if self._current_sites is not None else self.sites

    def data(self, name: str):
        """A dataset of the territory besides its communes and point layers (``demandeurs_series``, ``bmo``,
        ``chomage_ze_series``, ``ter_trajets``, ``ter_acces``, ``sources``), read by the loader that built it: the
        domain never opens geodata/ itself."""
        if self._data is None:
            raise KeyError(f"Donnée « {name} » absente : le territoire « {self.name} » n'a pas été construit depuis "
                           "les données de geodata/.")
        return self._data(name)

    # ------------------------------------------------------------------ communes
    @cached_property
    def codes(self) -> np.ndarray:
        return self.communes["code_insee"].to_numpy(dtype=object)

    @cached_property
    def index(self) -> pd.DataFrame:
        """:attr:`communes` indexed by ``code_insee``."""
        return self.communes.set_index("code_insee", drop=False)

    @cached_property
    def _position(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}

    @cached_property
    def names(self) -> pd.Series:
        """Commune name by ``code_insee``."""
        return pd.Series(self.communes["nom"].to_numpy(), index=self.codes)

    def __len__(self) -> int:
        return len(self.communes)

    def __contains__(self, code) -> bool:
        return str(code) in self._position

    def row(self, code_insee) -> pd.Series:
        """The commune's row; malformed or unknown code → :class:`UnknownCommune` (French)."""
        code = check_code(code_insee)
        if code not in self._position:
            raise UnknownCommune(f"Le code {code} n'est pas celui d'une commune du {self.name}.")
        return self.communes.iloc[self._position[code]]

    def positions(self, codes) -> np.ndarray:
        """Row positions of ``codes``; the first unknown one → :class:`UnknownCommune`."""
        out = np.empty(len(codes), dtype=np.int64)
        for i, c in enumerate(codes):
            p = self._position.get(str(c))
            if p is None:
                self.row(c)  # raises the French message
            out[i] = p
        return out

    def column(self, name: str, dtype=float) -> np.ndarray:
        """A commune column as a numpy array (region order)."""
        return self.communes[name].to_numpy(dtype=dtype)

    @cached_property
    def vectors(self) -> np.ndarray:
        """Commune points on the unit sphere (for fast great-circle distances)."""
        return unit_vectors(self.communes["lon"].to_numpy(float), self.communes["lat"].to_numpy(float))

    @cached_property
    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Contiguity edges (src, dst) between commune positions, both directions."""
        pos = pd.Series(np.arange(len(self)), index=self.codes)
        src = pos.reindex(self.neighbours["code_insee"].astype(str).to_numpy()).to_numpy()
        dst = pos.reindex(self.neighbours["voisin"].astype(str).to_numpy()).to_numpy()
        keep = ~(np.isnan(src) | np.isnan(dst))
        return src[keep].astype(np.int64), dst[keep].astype(np.int64)

    # ------------------------------------------------------------------ distances and times
    def minutes_from(self, codes, settings: TravelSettings | None = None, dtype=np.float64) -> np.ndarray:
        """Estimated minutes from the communes ``codes`` to every commune, shape (len(codes), len(self))."""
        pos = self.positions(codes)
        com = self.communes
        return minutes_between(com["lon"].to_numpy(float)[pos], com["lat"].to_numpy(float)[pos],
                               com["lon"].to_numpy(float), com["lat"].to_numpy(float), settings, dtype,
                               from_ids=self.codes[pos], to_ids=self.codes)

    def minutes_to_points(self, points: pd.DataFrame, settings: TravelSettings | None = None,
                          id_column: str = "site_id") -> np.ndarray:
        """Estimated minutes from every commune to each point (``lon``, ``lat``), shape (len(self), len(points))."""
        com = self.communes
        ids = points[id_column].astype(str).to_numpy() if id_column in points else None
        return minutes_between(com["lon"].to_numpy(float), com["lat"].to_numpy(float),
                               points["lon"].to_numpy(float), points["lat"].to_numpy(float), settings,
                               from_ids=self.codes, to_ids=ids)

    def nearest_site(self, sites: pd.DataFrame, settings: TravelSettings | None = None,
                     codes=None) -> tuple[np.ndarray, np.ndarray]:
        """The one "nearest site": minutes from each commune (``codes``, default all) to its nearest site of
        ``sites`` (looked up by ``site_id``, each site at its own coordinates) and that site's row position.

        With no site, minutes are ``inf`` and the position is -1.
        """
        n = len(self) if codes is None else len(codes)
        if sites.empty:
            return np.full(n, np.inf), np.full(n, -1)
        times = self.minutes_to_points(sites, settings)  # (communes, sites)
        if codes is not None:
            times = times[self.positions(codes)]
        best = times.argmin(axis=1)
        return times[np.arange(n), best], best

    def points_at_communes(self, codes) -> pd.DataFrame:
        """Points (``code_insee``, ``nom``, ``lon``, ``lat``) at the town halls of ``codes``."""
        rows = self.communes.iloc[self.positions(codes)]
        return pd.DataFrame({"site_id": rows["code_insee"].to_numpy(), "code_insee": rows["code_insee"].to_numpy(),
                             "nom": rows["nom"].to_numpy(), "lon": rows["lon"].to_numpy(float),
                             "lat": rows["lat"].to_numpy(float)})

    # ------------------------------------------------------------------ layers and subsets
    def layer(self, name: str) -> pd.DataFrame:
        """A point layer (empty frame with ``lon``/``lat``/``code_insee`` when the territory has none)."""
        df = self.layers.get(name)
        return df if df is not None else pd.DataFrame(columns=["code_insee", "nom", "lon", "lat"])

    def subset(self, codes, name: str | None = None) -> "Territory":
        """The same territory restricted to ``codes`` (neighbours and layers filtered; sites and layers
        outside are kept, since a site over the border still serves the communes)."""
        keep = set(str(c) for c in codes)
        com = self.communes[self.communes["code_insee"].isin(keep)]
        nb = self.neighbours[self.neighbours["code_insee"].astype(str).isin(keep)
                             & self.neighbours["voisin"].astype(str).isin(keep)]
        return Territory(com.copy(), nb, self.sites, self.layers, name or f"{self.name} (sélection)", self.region_code)
