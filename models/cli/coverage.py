"""``python -m models.coverage``: the command line of :mod:`models.domain.coverage`."""
import sys

from models.domain.coverage import main

if __name__ == "__main__":
    sys.exit(main())
