"""Point layers of the regional map (ACV towns, Petites villes de demain, lycées, missions locales, Cnam sites, France Services, agencies,
TER stations).

Colours: black and Okabe–Ito orange for the two subjects (Cnam sites, ACV towns), the others from Paul Tol's
palettes; chosen so that every pair stays apart (CIELAB ΔE ≥ 24) for normal vision and under simulated
deuteranopia and protanopia (Machado et al. 2009 matrices; ``tests/unit/test_map_palette.py``). Cnam sites are drawn
last, larger, on a white halo, above everything. Every legend entry carries its count; weak locations say so in
their hover card.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from models.domain.town_facts import network_sites
from models.text import fr_format as F
from components.territory import current_territory


@dataclass(frozen=True)
class Layer:
    key: str
    label: str
    colour: str
    size: int
    note: str = ""   # shown under the legend when the source is weak
    halo: bool = False  # drawn on a white disc, so it stands out above the other layers
    named: bool = False  # its places are named on the map (assets/09_map_labels.js), above the dots


LAYERS = [  # drawn in this order: big markers first, the Cnam sites last (on top)
    Layer("acv", "Villes Action Cœur de Ville", "#E69F00", 21, named=True),
    Layer("pvd", "Petites villes de demain (ANCT, janvier 2021)", "#8822DD", 13,
          "Petites villes de demain : liste ANCT du 22 janvier 2021 (première vague ; labels plus récents absents), "
          "point à la mairie de la commune."),
    Layer("lycees_public", "Lycées à voie professionnelle — publics", "#0072B2", 9),
    Layer("lycees_prive", "Lycées à voie professionnelle — privés ou statut inconnu", "#56B4E9", 9),
    Layer("missions_locales", "Missions locales (siège, placé à la commune)", "#882255", 10,
          "Missions locales : seule la commune du siège est connue (pas d'adresse) ; antennes absentes."),
    Layer("france_travail", "Agences France Travail (2019)", "#44AA99", 8, "Agences France Travail : liste de 2019."),
    Layer("france_services", "France Services", "#117733", 7),
    Layer("gares_ter", "Gares TER (train ou tram-train)", "#332288", 7,
          "Gares TER : arrêts du flux SNCF ; les temps en TER (horaires d'un mardi de référence) sont sur les "
          "fiches ville et la page Couverture."),
    Layer("cnam_officiel", "Sites du Cnam — implantations officielles (MESR, état 2017)", "#000000", 17, halo=True, named=True),
    Layer("cnam_presse", "Sites du Cnam attestés par la presse ou ajoutés (à vérifier)", "#DDCC77", 17,
          "Sites du Cnam attestés par la presse : placés à la mairie de leur commune ; sites ouverts depuis 2017 à "
          "ajouter dans l'éditeur de réseau (page Couverture).", halo=True, named=True),
]
HALO = 6  # extra diameter of the white disc under a halo layer, in pixels


def layer_frames() -> dict[str, pd.DataFrame]:
    """The rows of each layer, with ``hover`` text in French: the Cnam sites of the current network (read at
    each call: a user may have edited it), the other layers built once per process."""
    cnam = network_sites()
    source = cnam["source"] if "source" in cnam else pd.Series("", index=cnam.index)
    official = (source == "mesr").to_numpy()
    frames = dict(_static_frames())
    frames["cnam_officiel"], frames["cnam_presse"] = cnam[official], cnam[~official]
    for key in ("cnam_officiel", "cnam_presse"):
        frames[key] = frames[key].assign(hover=lambda d: "<b>" + d.nom + "</b><br>" + d.type.fillna("") + "<br>source : "
                                         + d.source_label.fillna("") + "<br><i>position : " + d.precision.fillna("")
                                         + "</i>")
    return frames


@lru_cache(maxsize=1)
def _static_frames() -> dict[str, pd.DataFrame]:
    lyc = current_territory().layer("lycees")
    pro = lyc[lyc.voie_pro]
    ter = current_territory().layer("ter_arrets")
    ter = ter[ter.train | ter.tram_train]

    def effectif(v):
        return "effectif voie pro. inconnu" if pd.isna(v) else f"{F.num(int(v))} élèves en voie pro. (2022)"

    frames = {
        "acv": current_territory().layer("acv").assign(hover=lambda d: "<b>" + d.nom + "</b><br>Action Cœur de Ville (" + d.id_acv + ")"),
        "pvd": current_territory().layer("pvd").assign(hover=lambda d: "<b>" + d.nom + "</b><br>Petite ville de demain (liste ANCT de "
                                    "janvier 2021)<br><i>position : mairie de la commune</i>"),
        "lycees_public": pro[pro.statut == "Public"],
        "lycees_prive": pro[pro.statut != "Public"],
        "missions_locales": current_territory().layer("missions_locales").assign(
            hover=lambda d: "<b>" + d.nom + "</b><br>Mission locale — siège<br><i>position : mairie de la commune</i>"),
        "france_services": current_territory().layer("france_services").assign(
            hover=lambda d: "<b>" + d.nom + "</b><br>France Services (" + d.format_fs.fillna("") + ")"),
        "france_travail": current_territory().layer("france_travail").assign(
            hover=lambda d: "<b>" + d.nom + "</b><br>Agence France Travail (liste 2019)"),
        "gares_ter": ter.assign(hover=lambda d: "<b>" + d.nom.astype(str) + "</b><br>Gare TER (" + d.modes.astype(str)
                                + ")<br><i>arrêt du flux SNCF TER</i>"),
    }
    for key in ("lycees_public", "lycees_prive"):
        frames[key] = frames[key].assign(hover=lambda d: "<b>" + d.nom + "</b><br>Lycée " + d.statut.str.lower()
                                         + " · " + d.effectif_voie_pro.map(effectif))
    return frames


def point_traces(visible: set[str] | None = None) -> list[go.Scattermap]:
    """Scattermap traces of the layers (a halo layer has two: white disc, then markers), in :func:`trace_keys`
    order; ``customdata`` = code_insee so a click opens the town profile."""
    frames = layer_frames()
    traces = []
    for layer in LAYERS:
        df = frames[layer.key]
        shown = True if visible is None or layer.key in visible else "legendonly"
        lon, lat = df.lon.astype(float).round(5), df.lat.astype(float).round(5)
        if layer.halo:
            traces.append(go.Scattermap(lon=lon, lat=lat, mode="markers", hoverinfo="skip", showlegend=False,
                                        marker={"size": layer.size + HALO, "color": "#ffffff", "opacity": 1},
                                        visible=shown, legendgroup=layer.key, name=layer.label + " (contour)"))
        traces.append(go.Scattermap(
            lon=lon, lat=lat, mode="markers", name=f"{layer.label} ({len(df)})",
            marker={"size": layer.size, "color": layer.colour, "opacity": 1 if layer.halo else 0.95},
            customdata=df.code_insee, text=df.hover, hovertemplate="%{text}<extra></extra>",
            visible=shown, legendgroup=layer.key, meta={"labels": list(df.get("commune", df.nom).fillna(df.nom))} if layer.named else None))
    return traces


def trace_keys() -> list[str]:
    """The layer key of each trace returned by :func:`point_traces`, in order."""
    return [layer.key for layer in LAYERS for _ in range(2 if layer.halo else 1)]


def layer_counts() -> dict[str, int]:
    return {k: len(v) for k, v in layer_frames().items()}
