"""``python -m models.concept_fit``: the command line of :mod:`models.domain.concept_fit`."""
import sys

from models.domain.concept_fit import main

if __name__ == "__main__":
    sys.exit(main())
