"""``python -m models.transit``: the command line of :mod:`models.domain.transit`."""
import sys

from models.domain.transit import main

if __name__ == "__main__":
    sys.exit(main())
