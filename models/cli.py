"""What every ``python -m models.X`` command shares: French argparse errors (exit 2), a French failure line."""
from __future__ import annotations

import argparse
import sys


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse with French error messages and exit code 2."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"Erreur : argument invalide ({message}).\n")


def fail(message: str) -> int:
    """Print ``Erreur : message`` on stderr and return exit code 2."""
    print(f"Erreur : {message}", file=sys.stderr)
    return 2


def split_codes(text: str | None) -> list[str]:
    """``"88160, 10387"`` → ``["88160", "10387"]``."""
    return [c.strip() for c in (text or "").split(",") if c.strip()]
