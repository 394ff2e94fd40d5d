"""Reading ``geodata/``: the region's ``Territory`` and the checks of every data file."""
