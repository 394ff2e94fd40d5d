"""Reading raw inputs with checks that fail with a clear :class:`BuildError` (file + row)."""
from __future__ import annotations

import lzma
from pathlib import Path

import pandas as pd

from geodata.errors import BuildError


def read_csv(path: Path, required: list[str], **kwargs) -> pd.DataFrame:
    """Read a raw CSV as text columns; fail if it is missing or lacks a required column."""
    path = Path(path)
    if not path.exists():
        raise BuildError(path, "fichier introuvable")
    opener = lzma.open if path.suffix == ".lzma" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            df = pd.read_csv(fh, dtype=str, keep_default_na=False, **kwargs)
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise BuildError(path, f"fichier illisible ({exc.__class__.__name__}: {exc})") from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise BuildError(path, f"colonne(s) manquante(s) : {', '.join(missing)} "
                               f"(colonnes présentes : {', '.join(df.columns[:12])}…)")
    return df


def to_number(df: pd.DataFrame, column: str, path: Path, missing=("", "*", "NULL", "nd", "s")) -> pd.Series:
    """Numeric column; empty/secret cells become NaN; any other non-number is an error naming its row."""
    raw = df[column].astype(str).str.strip().str.replace(",", ".", regex=False)
    blank = raw.isin(missing)
    num = pd.to_numeric(raw.where(~blank), errors="coerce")
    bad = num.isna() & ~blank
    if bad.any():
        label = bad.idxmax()  # index labels are the raw file's data-row numbers (0-based)
        raise BuildError(path, f"valeur non numérique {df[column][label]!r} dans la colonne {column}",
                         row=int(label) + 2)
    return num


def check_codes(codes: pd.Series, known: set[str], path: Path, column: str) -> None:
    """Every commune code must be a known commune; the first unknown one is reported with its row."""
    bad = ~codes.isin(known)
    if bad.any():
        label = bad.idxmax()
        raise BuildError(path, f"code commune inconnu {codes[label]!r} (colonne {column}) — "
                               f"absent des communes de la région", row=int(label) + 2)
