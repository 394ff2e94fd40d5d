"""The one error the geodata build raises: it names the file and, when known, the row."""
from __future__ import annotations


class BuildError(Exception):
    """A raw input is unusable; the message says which file (and row) and why, in plain words."""

    def __init__(self, path, message: str, row: int | None = None):
        where = f"{path}" + (f", ligne {row}" if row is not None else "")
        super().__init__(f"{where} : {message}")
        self.path, self.row = str(path), row
