"""``python -m models.users``: the command line of :mod:`models.stores.users`."""
import sys

from models.stores.users import main

if __name__ == "__main__":
    sys.exit(main())
