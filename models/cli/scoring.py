"""``python -m models.scoring``: the command line of :mod:`models.domain.scoring`."""
import sys

from models.domain.scoring import main

if __name__ == "__main__":
    sys.exit(main())
