"""What every ``python -m models.X`` command shares: French argparse errors (exit 2), a French failure line."""
from __future__ import annotations

import argparse
import re
import sys


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse with French error messages and exit code 2."""

    TRANSLATIONS = (("unrecognized arguments", "arguments non reconnus"),
                    ("the following arguments are required", "arguments obligatoires manquants"),
                    ("expected one argument", "une valeur est attendue"),
                    ("expected at least one argument", "au moins une valeur est attendue"),
                    ("invalid choice", "choix invalide"), ("choose from", "valeurs possibles :"),
                    ("invalid float value", "nombre invalide"), ("invalid int value", "entier invalide"))

    HEADINGS = (("usage: ", "Utilisation : "), ("positional arguments:", "arguments :"), ("options:", "options :"),
                ("show this help message and exit", "affiche cette aide et quitte"))

    def _french(self, text: str) -> str:
        for en, fr in self.HEADINGS:
            text = text.replace(en, fr)
        return text

    def format_usage(self) -> str:
        return self._french(super().format_usage())

    def format_help(self) -> str:
        return self._french(super().format_help())

    def error(self, message):
        for en, fr in self.TRANSLATIONS:
            message = message.replace(en, fr)
        message = re.sub(r"^argument (\S+): ", r"option \1 : ", message)
        sys.stderr.write(f"Erreur : arguments invalides ({message}).\n")
        self.print_usage(sys.stderr)
        self.exit(2)


def fail(message: str) -> int:
    """Print ``Erreur : message`` on stderr and return exit code 2."""
    print(f"Erreur : {message}", file=sys.stderr)
    return 2


def split_codes(text: str | None) -> list[str]:
    """``"88160, 10387"`` → ``["88160", "10387"]``."""
    return [c.strip() for c in (text or "").split(",") if c.strip()]
