"""The domain: pure models over a ``Territory`` (plain data in, plain data out). No store, no CLI, no Dash."""
