"""``python -m models.simulator``: the command line of :mod:`models.domain.simulator`."""
import sys

from models.domain.simulator import main

if __name__ == "__main__":
    sys.exit(main())
