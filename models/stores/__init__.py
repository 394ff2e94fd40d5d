"""The database and what is kept in it. ``db.py`` imports none of the stores; each store declares its table."""
