"""One check for the commands' French help (python -m models.<name> --help)."""
from __future__ import annotations

import contextlib
import io
import re

import pytest


def assert_help_says(main, parts) -> None:
    """``main(["--help"])`` exits 0 and its help (whitespace normalised) holds each of ``parts`` as whole text,
    not as a piece of a longer word."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    text = " ".join(buf.getvalue().split())
    for part in parts:
        assert re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text), part
