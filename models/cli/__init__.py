"""Command-line entry points, run as ``python -m models.<name>`` (see ``models/__init__.py``)."""
