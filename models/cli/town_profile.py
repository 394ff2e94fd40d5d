"""``python -m models.town_profile``: the command line of :mod:`models.domain.town_profile`."""
import sys

from models.domain.town_profile import main

if __name__ == "__main__":
    sys.exit(main())
