"""``python -m models.planner``: the command line of :mod:`models.domain.planning`."""
import sys

from models.domain.planning import main

if __name__ == "__main__":
    sys.exit(main())
