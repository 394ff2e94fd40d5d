"""Point layers of the regional map (ACV towns, lycées, missions locales, Cnam sites, France Services, agencies).

Colours from the Okabe–Ito palette (colour-blind safe). Every legend entry carries its count; weak locations
(missions locales and Cnam sites placed at their commune's town hall) say so in their hover card.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

import geodata


@dataclass(frozen=True)
class Layer:
    key: str
    label: str
    colour: str
    size: int
    note: str = ""   # shown under the legend when the source is weak


LAYERS = [  # drawn in this order: big markers first, so smaller ones at the same town hall stay visible
    Layer("acv", "Villes Action Cœur de Ville", "#E69F00", 21),
    Layer("cnam_fiable", "Sites Cnam — fiabilité haute ou moyenne", "#000000", 14),
    Layer("cnam_faible", "Sites Cnam — fiabilité faible (à vérifier)", "#8c8c8c", 14,
          "Sites Cnam : liste assemblée à la main (10 sur 24 annoncés en 2016), placés à la mairie de leur commune."),
    Layer("missions_locales", "Missions locales (siège, placé à la commune)", "#D55E00", 10,
          "Missions locales : seule la commune du siège est connue (pas d'adresse) ; antennes absentes."),
    Layer("lycees_public", "Lycées à voie professionnelle — publics", "#0072B2", 9),
    Layer("lycees_prive", "Lycées à voie professionnelle — privés ou statut inconnu", "#56B4E9", 9),
    Layer("france_travail", "Agences France Travail (2019)", "#CC79A7", 8,
          "Agences France Travail : liste de 2019."),
    Layer("france_services", "France Services", "#009E73", 7),
]
LAYER_KEYS = [layer.key for layer in LAYERS]


@lru_cache(maxsize=1)
def layer_frames() -> dict[str, pd.DataFrame]:
    """The rows of each layer, with ``hover`` text in French (static data: built once per process)."""
    lyc = geodata.lycees()
    pro = lyc[lyc.voie_pro]
    cnam = geodata.cnam_sites()
    weak = cnam.fiabilite.str.lower().isin(["faible", "unknown"]) | cnam.fiabilite.isna()

    def effectif(v):
        return "effectif voie pro. inconnu" if pd.isna(v) else f"{int(v):,} élèves en voie pro. (2022)".replace(",", " ")

    frames = {
        "acv": geodata.acv().assign(hover=lambda d: "<b>" + d.nom + "</b><br>Action Cœur de Ville (" + d.id_acv + ")"),
        "lycees_public": pro[pro.statut == "Public"],
        "lycees_prive": pro[pro.statut != "Public"],
        "missions_locales": geodata.missions_locales().assign(
            hover=lambda d: "<b>" + d.nom + "</b><br>Mission locale — siège<br><i>position : mairie de la commune</i>"),
        "cnam_fiable": cnam[~weak],
        "cnam_faible": cnam[weak],
        "france_services": geodata.france_services().assign(
            hover=lambda d: "<b>" + d.nom + "</b><br>France Services (" + d.format_fs.fillna("") + ")"),
        "france_travail": geodata.france_travail().assign(
            hover=lambda d: "<b>" + d.nom + "</b><br>Agence France Travail (liste 2019)"),
    }
    for key in ("lycees_public", "lycees_prive"):
        frames[key] = frames[key].assign(hover=lambda d: "<b>" + d.nom + "</b><br>Lycée " + d.statut.str.lower()
                                         + " · " + d.effectif_voie_pro.map(effectif))
    for key in ("cnam_fiable", "cnam_faible"):
        frames[key] = frames[key].assign(hover=lambda d: "<b>" + d.nom + "</b><br>" + d.type + " · fiabilité : "
                                         + d.fiabilite + " (" + d.date_source + ")<br><i>position : mairie de "
                                         + d.commune + "</i>")
    return frames


def point_traces(visible: set[str] | None = None) -> list[go.Scattermap]:
    """One Scattermap trace per layer; ``customdata`` = code_insee so a click opens the town profile."""
    frames = layer_frames()
    traces = []
    for layer in LAYERS:
        df = frames[layer.key]
        traces.append(go.Scattermap(
            lon=df.lon.round(5), lat=df.lat.round(5), mode="markers", name=f"{layer.label} ({len(df)})",
            marker={"size": layer.size, "color": layer.colour, "opacity": 0.95},
            customdata=df.code_insee, text=df.hover, hovertemplate="%{text}<extra></extra>",
            visible=True if visible is None or layer.key in visible else "legendonly",
            legendgroup=layer.key))
    return traces


def layer_counts() -> dict[str, int]:
    return {k: len(v) for k, v in layer_frames().items()}
