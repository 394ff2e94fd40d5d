"""Callback tests need the Dash app instantiated first: importing it registers every page and callback."""
import app  # noqa: F401
